package token

// PKCS#11 v2.40 constants the package uses. They are spelled out here rather than taken
// from github.com/miekg/pkcs11 so the package builds without cgo.
const (
	ckoCertificate = 0x1
	ckoPublicKey   = 0x2
	ckoPrivateKey  = 0x3

	ckaClass                = 0x000
	ckaLabel                = 0x003
	ckaValue                = 0x011
	ckaCertificateType      = 0x080
	ckaKeyType              = 0x100
	ckaID                   = 0x102
	ckaSign                 = 0x108
	ckaModulus              = 0x120
	ckaPublicExponent       = 0x122
	ckaECParams             = 0x180
	ckaECPoint              = 0x181
	ckaAlwaysAuthenticate   = 0x202
	ckcX509                 = 0x0
	ckkRSA                  = 0x0
	ckkEC                   = 0x3
	ckuUser                 = 1
	ckuContextSpecific      = 2
	cksROUserFunctions      = 1
	cksRWUserFunctions      = 3
	ckfSerialSession        = 0x4
	ckfTokenPresent         = 0x1
	ckfRemovableDevice      = 0x2
	ckfHWSlot               = 0x4
	ckUnavailableInfo       = ^uint(0)
	ckEffectivelyInfinite   = 0
	ckrOK                   = 0x000
	ckrAttributeSensitive   = 0x011
	ckrAttributeTypeInvalid = 0x012
	ckrKeyHandleInvalid     = 0x060
	ckrObjectHandleInvalid  = 0x082
	ckrPINIncorrect         = 0x0A0
	ckrPINInvalid           = 0x0A1
	ckrPINLenRange          = 0x0A2
	ckrPINExpired           = 0x0A3
	ckrPINLocked            = 0x0A4
	ckrUserAlreadyLoggedIn  = 0x100
	ckrUserPINNotInit       = 0x102
	ckrAlreadyInitialized   = 0x191
)

// Token flags (CK_TOKEN_INFO.flags).
const (
	ckfLoginRequired        = 0x00000004
	ckfUserPINInitialized   = 0x00000008
	ckfProtectedAuthPath    = 0x00000100
	ckfTokenInitialized     = 0x00000400
	ckfUserPINCountLow      = 0x00010000
	ckfUserPINFinalTry      = 0x00020000
	ckfUserPINLocked        = 0x00040000
	ckfUserPINToBeChanged   = 0x00080000
	ckfWriteProtected       = 0x00000002
	ckfSOPINLocked          = 0x00400000
	ckfSOPINToBeChangedFlag = 0x00800000
)

// Mechanisms.
const (
	ckmRSAPKCS          = 0x0001
	ckmRSAPKCSPSS       = 0x000D
	ckmSHA256RSAPKCS    = 0x0040
	ckmSHA384RSAPKCS    = 0x0041
	ckmSHA512RSAPKCS    = 0x0042
	ckmSHA256RSAPKCSPSS = 0x0043
	ckmSHA384RSAPKCSPSS = 0x0044
	ckmSHA512RSAPKCSPSS = 0x0045
	ckmSHA224RSAPKCS    = 0x0046
	ckmSHA224RSAPKCSPSS = 0x0047
	ckmSHA224           = 0x0255
	ckmSHA256           = 0x0250
	ckmSHA384           = 0x0260
	ckmSHA512           = 0x0270
	ckmSHA3_256         = 0x02B0
	ckmSHA3_384         = 0x02C0
	ckmSHA3_512         = 0x02D0
	ckmECDSA            = 0x1041
	ckmECDSASHA224      = 0x1043
	ckmECDSASHA256      = 0x1044
	ckmECDSASHA384      = 0x1045
	ckmECDSASHA512      = 0x1046
	ckgMGF1SHA256       = 0x2
	ckgMGF1SHA384       = 0x3
	ckgMGF1SHA512       = 0x4
	ckgMGF1SHA224       = 0x5
	ckgMGF1SHA3_256     = 0x7
	ckgMGF1SHA3_384     = 0x8
	ckgMGF1SHA3_512     = 0x9
)
