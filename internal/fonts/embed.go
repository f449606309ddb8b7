package fonts

import (
	_ "embed"
	"fmt"
)

// Style selects one of the four embedded Liberation Serif faces.
type Style int

// The embedded faces.
const (
	Regular Style = iota
	Bold
	Italic
	BoldItalic
)

// String returns the face name as used in the font's PostScript name.
func (s Style) String() string {
	switch s {
	case Regular:
		return "Regular"
	case Bold:
		return "Bold"
	case Italic:
		return "Italic"
	case BoldItalic:
		return "BoldItalic"
	}
	return fmt.Sprintf("Style(%d)", int(s))
}

var (
	//go:embed data/LiberationSerif-Regular.ttf
	serifRegular []byte
	//go:embed data/LiberationSerif-Bold.ttf
	serifBold []byte
	//go:embed data/LiberationSerif-Italic.ttf
	serifItalic []byte
	//go:embed data/LiberationSerif-BoldItalic.ttf
	serifBoldItalic []byte
	//go:embed data/LICENSE-OFL.txt
	licenseText string
)

// LiberationSerifData returns the TrueType file of the embedded face (nil for an
// unknown style). Callers must not modify it.
func LiberationSerifData(s Style) []byte {
	switch s {
	case Regular:
		return serifRegular
	case Bold:
		return serifBold
	case Italic:
		return serifItalic
	case BoldItalic:
		return serifBoldItalic
	}
	return nil
}

// LiberationSerif parses and returns the embedded Liberation Serif face of the given
// style. Each call parses afresh (a few hundred microseconds); callers that render many
// documents keep the *Font.
func LiberationSerif(s Style) (*Font, error) {
	var data []byte
	switch s {
	case Regular:
		data = serifRegular
	case Bold:
		data = serifBold
	case Italic:
		data = serifItalic
	case BoldItalic:
		data = serifBoldItalic
	default:
		return nil, fmt.Errorf("fonts: unknown style %d", int(s))
	}
	return Parse(data)
}

// License returns the copyright and SIL Open Font License 1.1 text of the embedded
// fonts, as shipped by Debian's fonts-liberation2 package.
func License() string { return licenseText }
