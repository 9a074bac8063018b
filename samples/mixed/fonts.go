package mixed

import (
	"fmt"
	"os"
)

// family is a font family with its four style files (regular, bold,
// italic, bold italic) and the Debian package that installs them. None of
// them is a face samples/gen draws with (Liberation Serif, DejaVu Serif,
// FreeSerif, Noto Serif); each covers Vietnamese.
type family struct {
	Name  string
	Serif bool
	Pkg   string
	Files [4]string
}

const (
	texGyre = "/usr/share/texmf/fonts/opentype/public/tex-gyre/"
	roboto  = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/"
)

var families = []family{
	{"Liberation Sans", false, "fonts-liberation2", [4]string{
		"/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
		"/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
		"/usr/share/fonts/truetype/liberation2/LiberationSans-Italic.ttf",
		"/usr/share/fonts/truetype/liberation2/LiberationSans-BoldItalic.ttf"}},
	{"DejaVu Sans", false, "fonts-dejavu-core", [4]string{
		"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf"}},
	{"Noto Sans", false, "fonts-noto-core", [4]string{
		"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
		"/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
		"/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf",
		"/usr/share/fonts/truetype/noto/NotoSans-BoldItalic.ttf"}},
	{"FreeSans", false, "fonts-freefont-ttf", [4]string{
		"/usr/share/fonts/truetype/freefont/FreeSans.ttf",
		"/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
		"/usr/share/fonts/truetype/freefont/FreeSansOblique.ttf",
		"/usr/share/fonts/truetype/freefont/FreeSansBoldOblique.ttf"}},
	{"Roboto", false, "fonts-roboto-unhinted", [4]string{
		roboto + "Roboto-Regular.ttf", roboto + "Roboto-Bold.ttf",
		roboto + "Roboto-Italic.ttf", roboto + "Roboto-BoldItalic.ttf"}},
	{"Open Sans", false, "fonts-open-sans", [4]string{
		"/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf",
		"/usr/share/fonts/truetype/open-sans/OpenSans-Bold.ttf",
		"/usr/share/fonts/truetype/open-sans/OpenSans-Italic.ttf",
		"/usr/share/fonts/truetype/open-sans/OpenSans-BoldItalic.ttf"}},
	{"Carlito", false, "fonts-crosextra-carlito", [4]string{
		"/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
		"/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf",
		"/usr/share/fonts/truetype/crosextra/Carlito-Italic.ttf",
		"/usr/share/fonts/truetype/crosextra/Carlito-BoldItalic.ttf"}},
	{"TeX Gyre Heros", false, "fonts-texgyre", [4]string{
		texGyre + "texgyreheros-regular.otf", texGyre + "texgyreheros-bold.otf",
		texGyre + "texgyreheros-italic.otf", texGyre + "texgyreheros-bolditalic.otf"}},
	{"TeX Gyre Termes", true, "fonts-texgyre", [4]string{
		texGyre + "texgyretermes-regular.otf", texGyre + "texgyretermes-bold.otf",
		texGyre + "texgyretermes-italic.otf", texGyre + "texgyretermes-bolditalic.otf"}},
	{"TeX Gyre Pagella", true, "fonts-texgyre", [4]string{
		texGyre + "texgyrepagella-regular.otf", texGyre + "texgyrepagella-bold.otf",
		texGyre + "texgyrepagella-italic.otf", texGyre + "texgyrepagella-bolditalic.otf"}},
	{"TeX Gyre Bonum", true, "fonts-texgyre", [4]string{
		texGyre + "texgyrebonum-regular.otf", texGyre + "texgyrebonum-bold.otf",
		texGyre + "texgyrebonum-italic.otf", texGyre + "texgyrebonum-bolditalic.otf"}},
	{"TeX Gyre Schola", true, "fonts-texgyre", [4]string{
		texGyre + "texgyreschola-regular.otf", texGyre + "texgyreschola-bold.otf",
		texGyre + "texgyreschola-italic.otf", texGyre + "texgyreschola-bolditalic.otf"}},
}

// FontPackages are the Debian packages whose fonts the generator uses.
func FontPackages() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range families {
		if !seen[f.Pkg] {
			seen[f.Pkg] = true
			out = append(out, f.Pkg)
		}
	}
	return out
}

// checkFonts reports the first missing font file with its package.
func checkFonts() error {
	for _, f := range families {
		for _, p := range f.Files {
			if _, err := os.Stat(p); err != nil {
				return fmt.Errorf("font %s: %s is missing (apt-get install %s, or deploy/setup-debian.sh bench): %w", f.Name, p, f.Pkg, err)
			}
		}
	}
	return nil
}

func familyByName(name string) (family, bool) {
	for _, f := range families {
		if f.Name == name {
			return f, true
		}
	}
	return family{}, false
}
