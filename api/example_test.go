package api_test

import (
	"fmt"
	"strings"

	"github.com/sohoa/sohoa/api"
)

// A tokens file: one "TOKEN ROLE NAME" per line; the name is the rest of
// the line, in any script.
func ExampleParseTokens() {
	tokens, err := api.ParseTokens(strings.NewReader(`# Lưu trữ tỉnh Quảng Ninh
q3J7uZ1m0vTqLr2X9c8bWk4y archivist Nguyễn Thị Lan
Hc5tR8nB1xZ4Yk3mQ9wL2pV7 ingest    Hệ thống Lưu trữ số
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tokens.Len(), "tokens")

	_, err = api.ParseTokens(strings.NewReader("abc admin Lan\n"))
	fmt.Println(err)
	// Output:
	// 2 tokens
	// line 1: unknown role "admin" (want archivist, operator or ingest)
}
