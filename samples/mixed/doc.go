// Package mixed generates randomised mixed-damage evaluation pages: an
// evaluation set the farm cannot be tuned to. Its pages come from another
// path than samples/gen: HTML and CSS typeset by headless Chromium in
// other fonts (sans and serif faces samples/gen does not use), printed to
// PDF, rasterised by poppler's pdftoppm at the page's dpi, then damaged
// in Go with damage drawn at random and combined. Each page has its
// ground truth in reading order and a description of how it was made.
//
// It is evaluation code: `sohoa bench --mixed` and tests use it; the farm
// never imports it. See README.md.
package mixed
