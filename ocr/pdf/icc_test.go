package pdf

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSRGBProfile reads the generated profile back: header, tag table,
// and the values against IEC 61966-2-1: the primaries adapted to the ICC's
// D50 (0.9642, 1, 0.8249) as in the ICC's own sRGB profiles (tables
// adapted to D50 = (0.96422, 1, 0.82521) differ in the fourth decimal of
// blue's Z), and the transfer function.
func TestSRGBProfile(t *testing.T) {
	t.Parallel()
	p := srgbProfile()
	be := binary.BigEndian
	if got := int(be.Uint32(p)); got != len(p) {
		t.Fatalf("header size %d, profile %d bytes", got, len(p))
	}
	if len(p)%4 != 0 {
		t.Errorf("profile size %d not a multiple of 4", len(p))
	}
	for _, f := range []struct {
		off  int
		want string
	}{{12, "mntr"}, {16, "RGB "}, {20, "XYZ "}, {36, "acsp"}} {
		if got := string(p[f.off : f.off+4]); got != f.want {
			t.Errorf("header at %d: %q, want %q", f.off, got, f.want)
		}
	}
	if v := be.Uint32(p[8:]); v != 0x02100000 {
		t.Errorf("version %#x", v)
	}

	tags := map[string][]byte{}
	n := int(be.Uint32(p[128:]))
	for i := range n {
		e := p[132+12*i:]
		off, size := int(be.Uint32(e[4:])), int(be.Uint32(e[8:]))
		if off < 132+12*n || off+size > len(p) || off%4 != 0 {
			t.Fatalf("tag %q at %d+%d outside the data area", e[:4], off, size)
		}
		tags[string(e[:4])] = p[off : off+size]
	}
	xyz := func(sig string) [3]float64 {
		b := tags[sig]
		if len(b) != 20 || string(b[:4]) != "XYZ " {
			t.Fatalf("%s is not an XYZType element", sig)
		}
		var v [3]float64
		for i := range v {
			v[i] = float64(int32(be.Uint32(b[8+4*i:]))) / 65536
		}
		return v
	}
	want := map[string][3]float64{
		"wtpt": {0.9642, 1.0, 0.8249},
		"rXYZ": {0.4361, 0.2225, 0.0139},
		"gXYZ": {0.3851, 0.7169, 0.0971},
		"bXYZ": {0.1431, 0.0606, 0.7139},
	}
	for sig, w := range want {
		got := xyz(sig)
		for i := range got {
			if math.Abs(got[i]-w[i]) > 2e-4 {
				t.Errorf("%s = %.5f, want %.5f", sig, got, w)
				break
			}
		}
	}

	for _, sig := range []string{"rTRC", "gTRC", "bTRC"} {
		c := tags[sig]
		if string(c[:4]) != "curv" || be.Uint32(c[8:]) != 1024 {
			t.Fatalf("%s is not a 1024-entry curve", sig)
		}
		at := func(i int) float64 { return float64(be.Uint16(c[12+2*i:])) / 65535 }
		// sRGB: 0.5 encoded is 0.2140 linear; the linear segment near 0.
		if v := at(0); v != 0 {
			t.Errorf("%s(0) = %g", sig, v)
		}
		if v := at(1023); v != 1 {
			t.Errorf("%s(1) = %g", sig, v)
		}
		if v := at(512); math.Abs(v-math.Pow((512.0/1023+0.055)/1.055, 2.4)) > 1e-4 || math.Abs(v-0.2140) > 0.002 {
			t.Errorf("%s(0.5) = %g, want about 0.2140", sig, v)
		}
		if v := at(10); math.Abs(v-10.0/1023/12.92) > 1e-4 {
			t.Errorf("%s(10/1023) = %g, want the linear segment", sig, v)
		}
	}
	if !strings.Contains(string(tags["desc"]), srgbDescription) {
		t.Errorf("desc %q", tags["desc"])
	}

	// A second reading, independent of this package's code.
	path := filepath.Join(t.TempDir(), "srgb.icc")
	if err := os.WriteFile(path, p, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log(strings.TrimSpace(tool(t, "python3", "testdata/icccheck.py", path)))
}
