package crypt

// Permissions are the user access permissions of an encrypted document, the bits of
// /P (ISO 32000-1 table 22). Bit positions in the standard count from 1.
type Permissions uint32

// The permission bits. Bits not listed here are reserved; NewParams sets them as the
// standard requires.
const (
	PermPrint            Permissions = 1 << 2  // bit 3: print (at low quality unless PermPrintHighQuality)
	PermModify           Permissions = 1 << 3  // bit 4: modify the contents otherwise than below
	PermCopy             Permissions = 1 << 4  // bit 5: copy or extract text and graphics
	PermAnnotate         Permissions = 1 << 5  // bit 6: add or modify annotations, fill in form fields
	PermFillForms        Permissions = 1 << 8  // bit 9: fill in form fields, sign signature fields
	PermExtract          Permissions = 1 << 9  // bit 10: extract text and graphics for accessibility
	PermAssemble         Permissions = 1 << 10 // bit 11: insert, rotate, delete pages, make bookmarks
	PermPrintHighQuality Permissions = 1 << 11 // bit 12: print faithfully to the digital original

	// PermAll grants every permission above.
	PermAll = PermPrint | PermModify | PermCopy | PermAnnotate | PermFillForms | PermExtract |
		PermAssemble | PermPrintHighQuality
)

// Has reports whether every permission in q is granted.
func (p Permissions) Has(q Permissions) bool { return p&q == q }

// reservedPermissions are the bits the standard requires set: 7, 8 and 13 to 32.
const reservedPermissions = 0xFFFFF0C0

// normalizePermissions sets the reserved bits to 1 and bits 1 and 2 to 0.
func normalizePermissions(p int32) int32 {
	return int32((uint32(p) | reservedPermissions) &^ 3)
}
