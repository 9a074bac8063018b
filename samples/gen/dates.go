package main

import "fmt"

// civilDate is a calendar date without a time zone.
type civilDate struct{ Y, M, D int }

// iso is the date as YYYY-MM-DD.
func (d civilDate) iso() string { return fmt.Sprintf("%04d-%02d-%02d", d.Y, d.M, d.D) }

// valid reports whether d is a real Gregorian date.
func (d civilDate) valid() bool {
	if d.M < 1 || d.M > 12 || d.D < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[d.M]
	if d.M == 2 && d.Y%4 == 0 && (d.Y%100 != 0 || d.Y%400 == 0) {
		days = 29
	}
	return d.D <= days
}

// vnDay is the day and month as Decree 30/2020/NĐ-CP writes them: days
// below 10 and the months 1 and 2 get a leading zero ("ngày 05 tháng 01
// năm 2020", "ngày 15 tháng 11 năm 2024", "ngày 05 tháng 3 năm 2025").
func vnDay(d civilDate) string {
	day := fmt.Sprint(d.D)
	if d.D < 10 {
		day = fmt.Sprintf("%02d", d.D)
	}
	month := fmt.Sprint(d.M)
	if d.M < 3 {
		month = fmt.Sprintf("%02d", d.M)
	}
	return fmt.Sprintf("ngày %s tháng %s năm %d", day, month, d.Y)
}

// dateLine is the place-and-date line of the header:
// "Quảng Ninh, ngày 05 tháng 3 năm 2025".
func dateLine(place string, d civilDate) string {
	return place + ", " + vnDay(d)
}
