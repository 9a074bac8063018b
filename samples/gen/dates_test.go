package main

import "testing"

func TestDateLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		place string
		date  civilDate
		want  string
	}{
		{"DayBelowTenPadded", "Quảng Ninh", civilDate{2025, 3, 5}, "Quảng Ninh, ngày 05 tháng 3 năm 2025"},
		{"JanuaryPadded", "Hạ Long", civilDate{2020, 1, 5}, "Hạ Long, ngày 05 tháng 01 năm 2020"},
		{"FebruaryPadded", "Cẩm Phả", civilDate{2024, 2, 20}, "Cẩm Phả, ngày 20 tháng 02 năm 2024"},
		{"MarchNotPadded", "Uông Bí", civilDate{2019, 3, 31}, "Uông Bí, ngày 31 tháng 3 năm 2019"},
		{"TwoDigitMonth", "Móng Cái", civilDate{2024, 11, 15}, "Móng Cái, ngày 15 tháng 11 năm 2024"},
		{"DayTen", "Vân Đồn", civilDate{2026, 12, 10}, "Vân Đồn, ngày 10 tháng 12 năm 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := dateLine(tt.place, tt.date); got != tt.want {
				t.Errorf("dateLine(%q, %v) = %q, want %q", tt.place, tt.date, got, tt.want)
			}
		})
	}
}

func TestCivilDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		date  civilDate
		iso   string
		valid bool
	}{
		{civilDate{2025, 3, 5}, "2025-03-05", true},
		{civilDate{2024, 2, 29}, "2024-02-29", true},
		{civilDate{2023, 2, 29}, "2023-02-29", false},
		{civilDate{2100, 2, 29}, "2100-02-29", false},
		{civilDate{2000, 2, 29}, "2000-02-29", true},
		{civilDate{2021, 4, 31}, "2021-04-31", false},
		{civilDate{2021, 13, 1}, "2021-13-01", false},
		{civilDate{2021, 12, 0}, "2021-12-00", false},
	}
	for _, tt := range tests {
		if got := tt.date.iso(); got != tt.iso {
			t.Errorf("%v.iso() = %q, want %q", tt.date, got, tt.iso)
		}
		if got := tt.date.valid(); got != tt.valid {
			t.Errorf("%v.valid() = %v, want %v", tt.date, got, tt.valid)
		}
	}
}
