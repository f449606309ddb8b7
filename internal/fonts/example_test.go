package fonts_test

import (
	"fmt"

	"github.com/kyso-go/kyso/internal/fonts"
)

func Example() {
	f, err := fonts.LiberationSerif(fonts.Regular)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: %.2f pt\n", f.PostScriptName(), f.StringWidth("Hà Nội", 13))
	u := fonts.NewUsage(f)
	u.Encode("Hà Nội")
	prog, _ := u.Subset()
	fmt.Println(len(u.Glyphs()), "glyphs, subset smaller than 64 KiB:", len(prog) < 64<<10)
	// Output:
	// LiberationSerif: 37.91 pt
	// 6 glyphs, subset smaller than 64 KiB: true
}
