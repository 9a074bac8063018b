// Package archtest holds no code: its test checks that the packages import
// each other as docs/architecture.md draws them, so the drawing and the
// code cannot drift apart.
package archtest
