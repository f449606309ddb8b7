// Package evidence is the one place where kyso judges evidence about certificates:
// OCSP responses and CRLs (revocation at a time of interest, with responder
// authorisation, ResponderID, delta CRLs and critical extensions), and the algorithm
// policy (RSA ≥ 2048 bits, ECDSA ≥ 256 bits, no MD5, SHA-1 only before its sunset).
//
// certstatus uses it online (after fetching) and offline (CheckOffline), signature
// uses it for the data inside a PDF (DSS, CMS) and for the data it collects for a DSS,
// and token uses its key policy: a rule is judged once. Time-stamp tokens are parsed
// and checked in internal/cms; VGCA identity and certificate kinds live in
// internal/identity.
package evidence
