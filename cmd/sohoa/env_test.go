package main

import (
	"testing"
	"time"
)

// A variable set to 0 is a value (0 turns a setting off, as on the
// command line), not "unset"; an unset or unreadable one leaves the
// default.
func TestEnvZeroIsAValue(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		wantInt     int
		wantDur     time.Duration
	}{
		{"Zero", "0", 0, 0},
		{"Unset", "", 7, 7 * time.Second},
		{"NotANumber", "seven", 7, 7 * time.Second},
		{"Negative", "-1", -1, 7 * time.Second}, // a flag check then refuses it
		{"Duration", "3s", 7, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SOHOA_TEST_VALUE", tc.value)
			if got := envInt("SOHOA_TEST_VALUE", 7); got != tc.wantInt {
				t.Errorf("envInt = %d, want %d", got, tc.wantInt)
			}
			if got := envInt64("SOHOA_TEST_VALUE", 7); got != int64(tc.wantInt) {
				t.Errorf("envInt64 = %d, want %d", got, tc.wantInt)
			}
			if got := envDuration("SOHOA_TEST_VALUE", 7*time.Second); got != tc.wantDur {
				t.Errorf("envDuration = %s, want %s", got, tc.wantDur)
			}
		})
	}
}
