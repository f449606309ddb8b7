package cms

import "crypto/x509"

type x509Certificate = x509.Certificate

var x509MarshalPKCS8PrivateKey = x509.MarshalPKCS8PrivateKey
