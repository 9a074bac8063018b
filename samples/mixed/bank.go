package mixed

// The words, names and sentences below were written for this generator
// and share nothing with samples/gen: other provinces, bodies, subjects,
// people and figures. Everything is fictional. Slots in braces are filled
// at random by fill (see compose.go).

var provinces = []string{
	"Nghệ An", "Thái Bình", "Lâm Đồng", "Bến Tre", "Hà Giang", "Sóc Trăng",
	"Phú Yên", "Hải Dương", "Kon Tum", "Đồng Tháp", "Bắc Kạn", "Quảng Trị",
	"Tuyên Quang", "Ninh Thuận", "Cà Mau", "Vĩnh Long", "Lào Cai", "Hòa Bình",
	"Bình Định", "Hưng Yên", "Yên Bái", "Trà Vinh", "Đắk Nông", "Thanh Hóa",
}

// districts are generic district names (many provinces have one of each).
var districts = []string{
	"Tân Phú", "Hòa Thành", "Phú Lộc", "Đông Hưng", "Vĩnh Thạnh", "Quế Sơn",
	"Kim Bôi", "Yên Lập", "Mỹ Xuyên", "Tam Nông", "Chợ Mới", "Lạc Dương",
	"Sơn Hòa", "Ninh Phước", "Thạch Thành", "Cái Nước", "Bảo Yên", "Ngân Sơn",
}

var communes = []string{
	"Tân Lập", "Hòa Bình", "Đông Sơn", "Phú Mỹ", "An Khánh", "Thạnh Lợi",
	"Quảng Phú", "Nghĩa Hưng", "Hưng Đạo", "Xuân Trường", "Bình Minh", "Tiên Phong",
	"Hợp Thành", "Long Điền", "Thanh Xuân", "Đại Đồng", "Hồng Quang", "Phước Hậu",
}

var familyNames = []string{
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
	"Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Vương", "Trịnh",
	"Lưu", "Tạ", "Châu", "Quách", "Mai", "Tô", "Hà", "Cao", "Lâm", "Thái",
}

var middleNames = []string{
	"Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu",
	"Kim", "Bảo", "Hoài", "Trọng", "Thế", "Như", "Công", "Diệu",
}

var givenNames = []string{
	"Hùng", "Lan", "Tuấn", "Hương", "Dũng", "Nga", "Khoa", "Yến", "Phúc", "Trang",
	"Sơn", "Thủy", "Hiếu", "Oanh", "Cường", "Nhung", "Vinh", "Loan", "Tâm", "Quyên",
	"Toàn", "Hạnh", "Thắng", "Duyên", "Lộc", "Ánh", "Bình", "Mỹ", "Nghĩa", "Uyên",
	"Khải", "Diệp", "Triều", "Chiến", "Giang", "Phượng",
}

// department is a provincial department: its name, the short form in
// document numbers, and its head's title.
type department struct {
	Name, Code, Head string
}

var departments = []department{
	{"SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "SNN", "GIÁM ĐỐC"},
	{"SỞ XÂY DỰNG", "SXD", "GIÁM ĐỐC"},
	{"SỞ Y TẾ", "SYT", "GIÁM ĐỐC"},
	{"SỞ TÀI CHÍNH", "STC", "GIÁM ĐỐC"},
	{"SỞ GIAO THÔNG VẬN TẢI", "SGTVT", "GIÁM ĐỐC"},
	{"SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "SVHTTDL", "GIÁM ĐỐC"},
	{"SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "SKHĐT", "GIÁM ĐỐC"},
	{"SỞ NỘI VỤ", "SNV", "GIÁM ĐỐC"},
	{"SỞ TƯ PHÁP", "STP", "GIÁM ĐỐC"},
	{"SỞ KHOA HỌC VÀ CÔNG NGHỆ", "SKHCN", "GIÁM ĐỐC"},
	{"BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP", "BQL", "TRƯỞNG BAN"},
}

var districtOffices = []department{
	{"PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "PGDĐT", "TRƯỞNG PHÒNG"},
	{"PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG", "TNMT", "TRƯỞNG PHÒNG"},
	{"PHÒNG VĂN HÓA VÀ THÔNG TIN", "VHTT", "TRƯỞNG PHÒNG"},
	{"PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "LĐTBXH", "TRƯỞNG PHÒNG"},
}

// subjects are trích yếu of documents (after "Về việc" / "V/v").
var subjects = []string{
	"tổ chức kiểm tra an toàn thực phẩm dịp Tết Nguyên đán",
	"phân bổ kinh phí sửa chữa trường học năm {year}",
	"thành lập Tổ công tác rà soát hồ sơ cấp giấy chứng nhận quyền sử dụng đất",
	"phê duyệt danh sách hộ nghèo, hộ cận nghèo năm {year}",
	"tăng cường phòng, chống dịch bệnh trên đàn gia súc, gia cầm",
	"triển khai chuyển đổi số trong cơ quan hành chính nhà nước",
	"bố trí, sắp xếp lại dân cư vùng có nguy cơ sạt lở đất",
	"công nhận xã {commune} đạt chuẩn nông thôn mới nâng cao",
	"điều chỉnh giá dịch vụ thu gom, vận chuyển rác thải sinh hoạt",
	"tổ chức Hội thi tìm hiểu pháp luật cho cán bộ cơ sở năm {year}",
	"chỉnh lý, số hóa tài liệu lưu trữ giai đoạn {year}-{year2}",
	"giao chỉ tiêu tuyển sinh vào lớp 10 trung học phổ thông",
	"cấp phép khai thác nước dưới đất cho Nhà máy nước {commune}",
	"hỗ trợ giống cây trồng cho các hộ bị ảnh hưởng bởi lũ quét",
	"kiện toàn Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn",
	"đôn đốc nộp hồ sơ quyết toán vốn đầu tư công năm {year}",
	"tổ chức tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
	"phê duyệt phương án bồi thường giải phóng mặt bằng tuyến đường {district} - {commune}",
	"tạm dừng lưu thông qua cầu treo {commune} để sửa chữa",
	"triển khai đợt cao điểm tấn công, trấn áp tội phạm",
	"mời họp sơ kết công tác cải cách hành chính 6 tháng đầu năm {year}",
	"quy định mức thu học phí đối với các cơ sở giáo dục công lập",
}

// canCu are the legal grounds of a decision (italic lines).
var canCu = []string{
	"Căn cứ Luật Tổ chức chính quyền địa phương ngày {date};",
	"Căn cứ Luật Ngân sách nhà nước ngày {date};",
	"Căn cứ Luật Lưu trữ ngày {date};",
	"Căn cứ Luật Đầu tư công ngày {date};",
	"Căn cứ Luật Phòng, chống thiên tai ngày {date};",
	"Căn cứ Nghị định số {n2}/{year}/NĐ-CP ngày {date} của Chính phủ quy định chi tiết một số điều của Luật;",
	"Căn cứ Thông tư số {n2}/{year}/TT-BNV ngày {date} của Bộ trưởng Bộ Nội vụ;",
	"Căn cứ Quyết định số {n3}/QĐ-UBND ngày {date} của Ủy ban nhân dân tỉnh về việc giao dự toán ngân sách;",
	"Căn cứ Kế hoạch số {n3}/KH-UBND ngày {date} của Ủy ban nhân dân tỉnh {province};",
}

var deNghi = []string{
	"Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {n3}/TTr-SNV ngày {date}.",
	"Theo đề nghị của Trưởng phòng Tài chính - Kế hoạch huyện.",
	"Xét đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.",
	"Theo đề nghị của Hội đồng thẩm định tại Biên bản họp ngày {date}.",
}

// adminSentences make the articles and paragraphs of documents.
var adminSentences = []string{
	"Giao {office} chủ trì, phối hợp với các đơn vị liên quan tổ chức thực hiện; định kỳ hằng quý báo cáo kết quả về Ủy ban nhân dân tỉnh.",
	"Tổng kinh phí thực hiện là {money} đồng, từ nguồn ngân sách tỉnh năm {year} đã giao cho {office}.",
	"Thời gian thực hiện từ ngày {date} đến hết ngày {date2}.",
	"Các cơ quan, đơn vị có trách nhiệm rà soát, thống kê và gửi danh sách về {office} trước ngày {date}.",
	"Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị kịp thời báo cáo để xem xét, giải quyết.",
	"Đến nay đã có {n2} trên tổng số {n3} hồ sơ được giải quyết đúng hạn, đạt tỷ lệ {pct}%.",
	"Ủy ban nhân dân các huyện, thành phố chỉ đạo Ủy ban nhân dân cấp xã tuyên truyền sâu rộng đến từng hộ gia đình.",
	"Ông (bà) {person}, chuyên viên {office}, được giao làm đầu mối theo dõi, tổng hợp.",
	"Tổ công tác tự giải thể sau khi hoàn thành nhiệm vụ.",
	"Kinh phí hoạt động của Ban Chỉ đạo được bố trí trong dự toán chi thường xuyên của {office}.",
	"Đối với các trường hợp chậm trễ, yêu cầu người đứng đầu cơ quan, đơn vị giải trình bằng văn bản.",
	"Năm {year}, toàn huyện {district} đã trồng mới {n3} ha rừng tập trung, vượt {pct}% kế hoạch.",
	"Số lượng tài liệu cần chỉnh lý khoảng {n3} mét giá, trong đó tài liệu hành chính chiếm phần lớn.",
	"Đề nghị các đơn vị nghiêm túc triển khai, bảo đảm đúng tiến độ và chất lượng.",
	"Việc tổ chức thực hiện phải công khai, minh bạch, đúng đối tượng, không để xảy ra sai sót.",
	"Lực lượng chức năng đã kiểm tra {n2} cơ sở, phát hiện và xử lý {n1} cơ sở vi phạm với số tiền phạt {money} đồng.",
	"Quyết định này có hiệu lực kể từ ngày ký ban hành.",
	"Mức hỗ trợ là {money} đồng cho mỗi hộ, chi trả một lần bằng tiền mặt hoặc chuyển khoản.",
	"Hồ sơ gồm: đơn đề nghị, bản sao giấy tờ tùy thân và xác nhận của Ủy ban nhân dân xã {commune}.",
	"Tuyến đường dài {n1},{n1} km, mặt đường rộng {n1} m, được thi công trong {n2} tháng.",
}

var articleClosers = []string{
	"Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng các sở, ban, ngành và Chủ tịch Ủy ban nhân dân các huyện chịu trách nhiệm thi hành Quyết định này./.",
	"Các ông (bà) có tên tại Điều 1 và các đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
	"Trưởng phòng Tổ chức - Hành chính, Kế toán trưởng và các cá nhân có liên quan căn cứ Quyết định thi hành./.",
}

var kinhGui = []string{
	"Ủy ban nhân dân các huyện, thành phố",
	"Các sở, ban, ngành thuộc tỉnh",
	"Các trường trung học cơ sở trên địa bàn huyện",
	"Ủy ban nhân dân các xã, thị trấn",
	"Ban Quản lý dự án đầu tư xây dựng tỉnh",
}

var noiNhan = []string{
	"- Như Điều 3;", "- Như trên;", "- Thường trực Tỉnh ủy;", "- Thường trực HĐND tỉnh;",
	"- Chủ tịch, các PCT UBND tỉnh;", "- Các sở, ban, ngành;", "- UBND các huyện, thành phố;",
	"- Cổng thông tin điện tử tỉnh;", "- Lưu: VT, {code}.", "- Lưu: VT.",
}

var sectionHeads = []string{
	"I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN",
	"I. KẾT QUẢ ĐẠT ĐƯỢC", "II. TỒN TẠI, HẠN CHẾ", "III. PHƯƠNG HƯỚNG NHIỆM VỤ",
}

// proseTitles and proseSentences make ordinary Vietnamese pages (notes,
// local history, reports that are not administrative documents).
var proseTitles = []string{
	"LỊCH SỬ HÌNH THÀNH XÃ {COMMUNE}",
	"GHI CHÉP VỀ MÙA LŨ NĂM {year}",
	"Giới thiệu phông lưu trữ Ủy ban nhân dân huyện {district}",
	"Nghề dệt thổ cẩm ở vùng cao",
	"Kinh nghiệm bảo quản tài liệu giấy trong mùa nồm",
	"Tóm tắt hội thảo khoa học về chuyển đổi số ngành lưu trữ",
	"Chợ phiên và đời sống cư dân ven sông",
}

var proseSentences = []string{
	"Vùng đất này được khai phá từ cuối thế kỷ XVIII, khi những lớp cư dân đầu tiên theo dòng sông tìm đến lập làng.",
	"Mùa mưa thường bắt đầu vào tháng Tám và kéo dài đến hết tháng Mười một, lượng mưa trung bình năm trên {n3}0 mm.",
	"Người dân chủ yếu sống bằng nghề trồng lúa nước, chăn nuôi và đánh bắt thủy sản trên sông.",
	"Tài liệu lưu trữ của phông gồm {n3} hộp, được sắp xếp theo thời gian và theo cơ cấu tổ chức.",
	"Giấy in trước năm 1990 có độ axit cao, dễ ố vàng và giòn gãy nếu để ở nơi ẩm thấp.",
	"Nhiều tờ trình, biên bản viết tay đã phai mực, chữ ký và con dấu chỉ còn nhận ra một phần.",
	"Phòng kho cần giữ nhiệt độ ổn định khoảng {n1}0 độ và độ ẩm tương đối không quá {n1}0%.",
	"Các cụ cao tuổi trong làng kể rằng trận lụt năm ấy nước lên đến mái đình, kéo dài suốt {n1} ngày đêm.",
	"Sau ngày giải phóng, xã được tách thành hai đơn vị hành chính và đến năm {year} lại sáp nhập như cũ.",
	"Phiên chợ họp vào sáng chủ nhật, người bán mang đến rau rừng, mật ong, vải dệt tay và nông cụ rèn thủ công.",
	"Các đại biểu thống nhất rằng số hóa không thay thế bản gốc mà giúp khai thác tài liệu thuận tiện hơn.",
	"Mỗi trang sau khi quét được kiểm tra lại, ghi chú những chỗ mờ, rách hoặc thiếu để người đọc biết.",
	"Đường liên xã được đổ bê tông năm {year}, rút ngắn thời gian đi lại từ hai giờ xuống còn chưa đầy bốn mươi phút.",
	"Trường tiểu học của xã có {n2} lớp với gần {n3} học sinh, phần lớn là con em đồng bào dân tộc thiểu số.",
	"Những tấm thổ cẩm đẹp nhất thường được dệt trong mùa khô, khi sợi bông đã phơi đủ nắng.",
	"Ông {person} là người đầu tiên mở lớp bình dân học vụ tại đây, dạy chữ cho hơn {n2} người lớn tuổi.",
}

// listIntros and listItems make list pages.
var listTitles = []string{
	"DANH MỤC HỒ SƠ NỘP LƯU NĂM {year}",
	"DANH SÁCH THÀNH VIÊN TỔ CÔNG TÁC",
	"CÁC BƯỚC TIẾP NHẬN HỒ SƠ TRỰC TUYẾN",
	"NHỮNG VIỆC CẦN LÀM TRƯỚC MÙA MƯA BÃO",
}

var listItems = []string{
	"Hồ sơ về việc xây dựng trụ sở làm việc Ủy ban nhân dân xã {commune}",
	"Biên bản bàn giao tài liệu giữa {office} và Kho lưu trữ huyện",
	"Ông {person}, Phó Trưởng phòng, Tổ trưởng",
	"Bà {person}, chuyên viên, thành viên",
	"Kiểm tra, gia cố mái nhà, cột điện và cây xanh quanh khu dân cư",
	"Dự trữ lương thực, nước uống và thuốc men đủ dùng trong {n1} ngày",
	"Đăng nhập Cổng dịch vụ công bằng tài khoản định danh điện tử",
	"Tải lên bản chụp giấy tờ, kiểm tra lại thông tin trước khi nộp",
	"Sổ đăng ký văn bản đi, đến năm {year}, gồm {n2} tờ",
	"Tập lưu quyết định về công tác cán bộ, từ số {n2} đến số {n3}",
	"Nạo vét kênh mương nội đồng, khơi thông dòng chảy",
	"Theo dõi bản tin dự báo thời tiết trên đài phát thanh xã",
}

// table headers and cell makers for Vietnamese table pages.
var tableTitles = [][]string{
	{"DANH SÁCH HỘ ĐƯỢC HỖ TRỢ", "DANH SÁCH ĐỐI TƯỢNG NHẬN TRỢ CẤP NĂM {year}"},
	{"THỐNG KÊ TÀI LIỆU LƯU TRỮ THEO PHÔNG", "DANH MỤC PHÔNG LƯU TRỮ HUYỆN {DISTRICT}"},
	{"BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN NĂM {year}", "KẾ HOẠCH VÀ KẾT QUẢ ĐẦU TƯ CÔNG"},
}

// Sparse (near-empty) page lines.
var sparseLines = []string{
	"HỒ SƠ SỐ {n2}", "Trang này để trắng", "PHỤ LỤC {roman}", "HỘP SỐ {n2}",
	"Hết", "MẬT", "TẬP {n1}", "Mục lục", "Tài liệu tham khảo", "LƯU TRỮ",
	"QUYỂN {n1}", "Ghi chú",
}

var sparseEnglish = []string{
	"This page intentionally left blank", "APPENDIX {letter}", "FILE No. {n2}",
	"Index", "Notes", "END",
}

var romans = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}

// English content.
var englishNames = []string{
	"Margaret Holloway", "David Okafor", "Priya Raman", "Thomas Whitfield",
	"Elena Petrova", "Samuel Ortega", "Hannah Lindqvist", "George Mensah",
	"Laura Fitzgerald", "Kenji Watanabe",
}

var englishPlaces = []string{
	"Bristol", "Leeds", "Halifax", "Dunedin", "Galway", "Perth", "Hamilton", "Exeter",
}

var englishTitles = []string{
	"Annual Report of the Records Office",
	"Minutes of the Committee Meeting",
	"Guidelines for Handling Fragile Documents",
	"Survey of Water Supply in Rural Districts",
	"Notes on the Conservation Workshop",
}

var englishSentences = []string{
	"The committee met on {edate} to review the progress of the digitisation programme.",
	"A total of {n3} boxes were transferred to the county archive during the year.",
	"Members agreed that damaged volumes should be photographed before any repair is attempted.",
	"Paper produced between 1950 and 1990 is often acidic and becomes brittle when stored in damp rooms.",
	"The survey covered {n2} villages and recorded the depth, age and condition of every public well.",
	"Staff are reminded to wear gloves when handling photographs and to keep food away from the reading room.",
	"Expenditure on shelving and climate control amounted to {emoney}, slightly below the approved budget.",
	"Several registers from the early period are incomplete, and the missing pages have not been found.",
	"The reading room was open on 2{n2} days and received more than {n3} visitors.",
	"It was resolved that the next meeting be held in {place} in the spring.",
	"Scanned images are checked by a second person, who notes any page that is blurred, torn or skewed.",
	"Water samples from {n1} of the wells exceeded the recommended limit for nitrate.",
	"The workshop showed how to flatten folded letters with gentle humidification.",
	"Requests for copies should be made in writing and are usually answered within ten working days.",
	"Mr {ename} thanked the volunteers who indexed the parish records over the winter.",
}

var englishListItems = []string{
	"Check the condition of each volume before scanning",
	"Record the box and file number on the tracking sheet",
	"Remove staples and paper clips with care",
	"Keep loose maps flat in the large drawers",
	"Report mould or insect damage to the conservator",
	"Return every file to its box at the end of the day",
}
