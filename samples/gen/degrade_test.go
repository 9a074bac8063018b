package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// grid makes a w×h plane whose pixels count up from 0.
func grid(w, h int) *plane {
	p := newPlane(w, h, 0)
	for i := range p.p {
		p.p[i] = float32(i)
	}
	return p
}

func TestRotateQuarter(t *testing.T) {
	t.Parallel()
	src := grid(3, 2) // 0 1 2 / 3 4 5
	tests := []struct {
		name string
		k    int
		w, h int
		want []float32
	}{
		{"Clockwise", 1, 2, 3, []float32{3, 0, 4, 1, 5, 2}},
		{"HalfTurn", 2, 3, 2, []float32{5, 4, 3, 2, 1, 0}},
		{"Anticlockwise", 3, 2, 3, []float32{2, 5, 1, 4, 0, 3}},
		{"FullTurn", 4, 3, 2, []float32{0, 1, 2, 3, 4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := rotateQuarter(src, tt.k)
			if got.w != tt.w || got.h != tt.h {
				t.Fatalf("size %dx%d, want %dx%d", got.w, got.h, tt.w, tt.h)
			}
			if diff := cmp.Diff(tt.want, got.p); diff != "" {
				t.Errorf("pixels (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRotateZeroIsIdentity(t *testing.T) {
	t.Parallel()
	src := grid(5, 4)
	if diff := cmp.Diff(src.p, rotate(src, 0, 255).p); diff != "" {
		t.Errorf("rotate by 0 (-want +got):\n%s", diff)
	}
}

func TestDownsample2(t *testing.T) {
	t.Parallel()
	got := downsample2(grid(4, 2)) // 0 1 2 3 / 4 5 6 7
	if diff := cmp.Diff([]float32{2.5, 4.5}, got.p); diff != "" {
		t.Errorf("downsample2 (-want +got):\n%s", diff)
	}
}

func TestClamp8(t *testing.T) {
	t.Parallel()
	for in, want := range map[float32]uint8{-3: 0, 0.4: 0, 0.5: 1, 127.6: 128, 255: 255, 300: 255} {
		if got := clamp8(in); got != want {
			t.Errorf("clamp8(%g) = %d, want %d", in, got, want)
		}
	}
}
