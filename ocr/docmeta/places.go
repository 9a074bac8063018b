package docmeta

import (
	"strings"
	"unicode"
)

// places are the place names a place-date line of the archives' documents
// usually carries: Quảng Ninh province and its cities, towns and
// districts (including ones merged or renamed since, as older records
// name them), the cities central and neighbouring bodies write from, and
// every province and centrally run city of the country.
// A place that OCR read without its diacritics ("Quang Ninh") is given
// in the spelling here; a place not listed is kept as read.
var places = []string{
	"Quảng Ninh", "Hạ Long", "Cẩm Phả", "Uông Bí", "Móng Cái", "Đông Triều",
	"Quảng Yên", "Vân Đồn", "Cô Tô", "Tiên Yên", "Bình Liêu", "Ba Chẽ",
	"Đầm Hà", "Hải Hà", "Hoành Bồ", "Hòn Gai", "Hồng Gai", "Cẩm Phả Mỏ", "Yên Hưng",
	"Hà Nội", "Hải Phòng", "Hải Dương", "Bắc Giang", "Lạng Sơn",
	"Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "Đà Nẵng",
	// The other provinces and centrally run cities (the 63 of 2008-2025;
	// their names stay on the records of those years, and most remain).
	"Cần Thơ", "Huế", "Thừa Thiên Huế", "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Kạn",
	"Bắc Ninh", "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau",
	"Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
	"Hà Nam", "Hà Tĩnh", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
	"Lai Châu", "Lâm Đồng", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
	"Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Trị", "Sóc Trăng", "Sơn La",
	"Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Tiền Giang", "Trà Vinh", "Tuyên Quang",
	"Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
}

// knownPlace returns the listed spelling of a place read by OCR, compared
// without diacritics, case and spacing.
func knownPlace(s string) (string, bool) {
	k := key(s)
	for _, p := range places {
		if key(p) == k {
			return p, true
		}
	}
	return "", false
}

// issuerWords are the words (folded, upper case) the names of issuing
// bodies are made of, used to split words OCR ran together
// ("QUẢNGNINH", "PHỐHẠLONG"): place names and the usual words of body
// names.
var issuerWords = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range places {
		for _, w := range strings.Fields(p) {
			m[strings.ToUpper(fold(w))] = true
		}
	}
	for _, w := range strings.Fields(`ỦY BAN NHÂN DÂN HỘI ĐỒNG TỈNH THÀNH PHỐ HUYỆN THỊ XÃ TRẤN PHƯỜNG
		SỞ BAN PHÒNG CHI CỤC VỤ VĂN QUẢN LÝ VỊNH TRUNG TÂM TRƯỜNG GIÁO DỤC ĐÀO TẠO
		NÔNG NGHIỆP VÀ PHÁT TRIỂN THÔN TÀI NGUYÊN MÔI XÂY DỰNG GIAO THÔNG VẬN TẢI
		CÔNG THƯƠNG Y TẾ HÓA THỂ THAO DU LỊCH NỘI KẾ HOẠCH ĐẦU TƯ CHÍNH TƯ PHÁP
		LAO ĐỘNG THƯƠNG BINH XÃ HỘI KHOA HỌC NGHỆ TIN TRUYỀN THANH TRA`) {
		m[strings.ToUpper(fold(w))] = true
	}
	return m
}()

// splitMerged splits a word of an issuing body's name that OCR ran
// together from known words ("QUẢNGNINH" → "QUẢNG NINH"), keeping the
// letters as read. A word that is itself known, or that cannot be cut
// wholly into known words of two letters or more, is returned as is.
func splitMerged(w string) string {
	if !strings.ContainsFunc(w, unicode.IsLetter) || strings.ContainsFunc(w, unicode.IsLower) {
		return w
	}
	lead := len(w) - len(strings.TrimLeftFunc(w, isPunctRune))
	trail := len(w) - len(strings.TrimRightFunc(w, isPunctRune))
	core := w[lead : len(w)-trail]
	f := []rune(strings.ToUpper(fold(core)))
	if len(f) < 5 || issuerWords[string(f)] {
		return w
	}
	// cut[i] is the start of the last known word ending at i, -1 if
	// f[:i] cannot be cut; fewest words win.
	n := len(f)
	cut := make([]int, n+1)
	count := make([]int, n+1)
	for i := 1; i <= n; i++ {
		cut[i] = -1
		for j := max(0, i-7); j <= i-2; j++ {
			if (j == 0 || cut[j] >= 0) && issuerWords[string(f[j:i])] {
				if c := count[j] + 1; cut[i] < 0 || c < count[i] {
					cut[i], count[i] = j, c
				}
			}
		}
	}
	if cut[n] < 0 || count[n] < 2 {
		return w
	}
	var bounds []int
	for i := n; i > 0; i = cut[i] {
		bounds = append(bounds, i)
	}
	rs := []rune(core)
	var b strings.Builder
	b.WriteString(w[:lead])
	prev := 0
	for k := len(bounds) - 1; k >= 0; k-- {
		if prev > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(rs[prev:bounds[k]]))
		prev = bounds[k]
	}
	b.WriteString(w[len(w)-trail:])
	return b.String()
}

func isPunctRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
