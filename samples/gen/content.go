package main

// The texts below were written for this project. They imitate the form of
// Vietnamese administrative documents; bodies, numbers, figures and people
// are fictional.

// Common header lines.
var (
	ubndTinh  = []string{"ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"}
	parentQN  = []string{"UBND TỈNH QUẢNG NINH"}
	hdndTinh  = []string{"HỘI ĐỒNG NHÂN DÂN", "TỈNH QUẢNG NINH"}
	canCuLuat = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;"
)

// corpus returns the documents by id, fresh on each call.
func corpus() map[string]*doc {
	return map[string]*doc{
		"qd-vinh-halong":     qdVinhHaLong(),
		"qd-stnmt-kiemtra":   qdSTNMTKiemTra(),
		"nq-hdnd-hocsinh":    nqHDNDHocSinh(),
		"cv-khoangsan":       cvKhoangSan(),
		"cv-sgd-khan":        cvSGDKhan(),
		"bc-tienyen":         bcTienYen(),
		"kh-halong-dulich":   khHaLongDuLich(),
		"ttr-rungngapman":    ttrRungNgapMan(),
		"tb-uongbi":          tbUongBi(),
		"qd-chieusang":       qdChieuSang(),
		"cv-dongtrieu-mat":   cvDongTrieuMat(),
		"qd-mongcai-gpmb":    qdMongCaiGPMB(),
		"nq-campha-thuhoi":   nqCamPhaThuHoi(),
		"bc-vinh-racthai":    bcVinhRacThai(),
		"kh-svhttdl-sukien":  khSuKien(),
		"tb-sgtvt-cau":       tbCauTienYen(),
		"cv-vandon-chayrung": cvVanDonChayRung(),
		"nd-prose":           proseBaiTuLong(),
		"nd-table":           tableRungTrong(),
	}
}

func qdVinhHaLong() *doc {
	return &doc{
		Issuer:        ubndTinh,
		Number:        docNumber(2145, 0, "QĐ-UBND"),
		Place:         "Quảng Ninh",
		Date:          civilDate{2023, 7, 14},
		Type:          "quyết định",
		Title:         "QUYẾT ĐỊNH",
		SubjectPrefix: "Về việc ",
		Subject:       "phê duyệt Kế hoạch bảo vệ môi trường Vịnh Hạ Long giai đoạn 2023 - 2025",
		Body: []string{
			"c:CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
			"i:" + canCuLuat,
			"i:Căn cứ Luật Bảo vệ môi trường ngày 17 tháng 11 năm 2020;",
			"i:Theo đề nghị của Sở Tài nguyên và Môi trường tại Tờ trình số 412/TTr-STNMT ngày 28 tháng 6 năm 2023.",
			"c:QUYẾT ĐỊNH:",
			"**Điều 1.** Phê duyệt Kế hoạch bảo vệ môi trường Vịnh Hạ Long giai đoạn 2023 - 2025 với các nội dung chủ yếu sau:",
			"1. Mục tiêu: kiểm soát chặt chẽ các nguồn thải từ tàu du lịch, cơ sở nuôi trồng thủy sản và khu dân cư ven bờ; đến năm 2025, 100% tàu lưu trú nghỉ đêm trên vịnh có thiết bị xử lý nước thải đạt quy chuẩn.",
			"2. Nhiệm vụ trọng tâm: nạo vét, khơi thông các cửa xả ven biển phường Hồng Gai, Bạch Đằng, Hùng Thắng; lắp đặt 12 trạm quan trắc chất lượng nước tự động; thu gom rác thải nổi hằng ngày trên các tuyến tham quan.",
			"**Điều 2.** Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với Ban Quản lý Vịnh Hạ Long, Ủy ban nhân dân thành phố Hạ Long tổ chức triển khai Kế hoạch; định kỳ 6 tháng báo cáo kết quả về Ủy ban nhân dân tỉnh.",
			"**Điều 3.** Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc các sở: Tài nguyên và Môi trường, Tài chính; Trưởng Ban Quản lý Vịnh Hạ Long; Chủ tịch Ủy ban nhân dân thành phố Hạ Long và các đơn vị có liên quan căn cứ Quyết định thi hành./.",
		},
		Recipients: []string{"- Như Điều 3;", "- CT, các PCT UBND tỉnh;", "- V0, V1, V3, QLĐĐ;", "- Lưu: VT, MT."},
		SignTitle:  []string{"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"},
		Signer:     "Đinh Quang Hải",
	}
}

func qdSTNMTKiemTra() *doc {
	return &doc{
		Parent:        parentQN,
		Issuer:        []string{"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"},
		Number:        docNumber(587, 0, "QĐ-STNMT"),
		Place:         "Quảng Ninh",
		Date:          civilDate{2022, 3, 9},
		Type:          "quyết định",
		Title:         "QUYẾT ĐỊNH",
		SubjectPrefix: "Về việc ",
		Subject:       "thành lập Đoàn kiểm tra việc chấp hành pháp luật về đất đai tại thành phố Cẩm Phả",
		Body: []string{
			"c:GIÁM ĐỐC SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
			"i:Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;",
			"i:Căn cứ Quyết định số 38/2021/QĐ-UBND ngày 21 tháng 6 năm 2021 của Ủy ban nhân dân tỉnh quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Tài nguyên và Môi trường;",
			"i:Xét đề nghị của Chánh Thanh tra Sở.",
			"c:QUYẾT ĐỊNH:",
			"**Điều 1.** Thành lập Đoàn kiểm tra việc chấp hành pháp luật về đất đai tại thành phố Cẩm Phả, gồm các ông (bà) có tên sau:",
			"- Ông Mạc Văn Lâm, Phó Chánh Thanh tra Sở, Trưởng đoàn;",
			"- Bà Kiều Thị Phương Thảo, Phó Trưởng phòng Quản lý đất đai, Phó Trưởng đoàn;",
			"- Ông Lục Văn Thành, chuyên viên Phòng Quản lý đất đai, thành viên;",
			"- Bà Hứa Thị Lụa, chuyên viên Văn phòng Đăng ký đất đai, thành viên.",
			"**Điều 2.** Đoàn kiểm tra có nhiệm vụ kiểm tra việc giao đất, cho thuê đất, chuyển mục đích sử dụng đất và cấp giấy chứng nhận quyền sử dụng đất tại các phường Cửa Ông, Mông Dương, Quang Hanh trong thời hạn 15 ngày làm việc kể từ ngày công bố Quyết định; báo cáo kết quả và kiến nghị xử lý các sai phạm (nếu có) với Giám đốc Sở.",
			"**Điều 3.** Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Chánh Thanh tra Sở, Trưởng phòng Quản lý đất đai, các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
		},
		Recipients: []string{"- Như Điều 3;", "- UBND thành phố Cẩm Phả;", "- Giám đốc, các PGĐ Sở;", "- Lưu: VT, TTr."},
		SignTitle:  []string{"GIÁM ĐỐC"},
		Signer:     "Phùng Đức Nghĩa",
	}
}

func nqHDNDHocSinh() *doc {
	return &doc{
		Issuer:  hdndTinh,
		Number:  docNumber(57, 2025, "NQ-HĐND"),
		Place:   "Quảng Ninh",
		Date:    civilDate{2025, 3, 5},
		Type:    "nghị quyết",
		Title:   "NGHỊ QUYẾT",
		Subject: "Quy định chính sách hỗ trợ học sinh, giáo viên tại các xã đảo, xã đặc biệt khó khăn trên địa bàn tỉnh Quảng Ninh",
		Body: []string{
			"c:HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NINH",
			"c:KHÓA XIV - KỲ HỌP THỨ 24",
			"i:" + canCuLuat,
			"i:Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;",
			"i:Xét Tờ trình số 1062/TTr-UBND ngày 14 tháng 02 năm 2025 của Ủy ban nhân dân tỉnh; Báo cáo thẩm tra của Ban Văn hóa - Xã hội và ý kiến thảo luận của các đại biểu Hội đồng nhân dân tỉnh tại kỳ họp.",
			"c:QUYẾT NGHỊ:",
			"**Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng**",
			"Nghị quyết này quy định chính sách hỗ trợ học sinh đang học tại các trường phổ thông và giáo viên đang công tác tại các xã đảo, xã đặc biệt khó khăn thuộc huyện Cô Tô, Vân Đồn, Bình Liêu, Ba Chẽ.",
			"**Điều 2. Mức hỗ trợ**",
			"1. Học sinh bán trú được hỗ trợ tiền ăn bằng 40% mức lương cơ sở mỗi tháng và được hỗ trợ 15 kg gạo mỗi tháng, thời gian hưởng không quá 9 tháng trong một năm học.",
			"2. Giáo viên được hỗ trợ 1.500.000 đồng mỗi tháng; giáo viên dạy tăng cường tại điểm trường lẻ được hỗ trợ thêm 500.000 đồng mỗi tháng.",
			"**Điều 3.** Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết. Nghị quyết này có hiệu lực từ ngày 15 tháng 3 năm 2025./.",
		},
		Recipients: []string{"- Ủy ban Thường vụ Quốc hội;", "- Chính phủ;", "- Bộ Giáo dục và Đào tạo;", "- TT Tỉnh ủy, TT HĐND tỉnh;", "- Lưu: VT, VHXH."},
		SignTitle:  []string{"CHỦ TỊCH"},
		Signer:     "Hà Đức Trọng",
	}
}

func cvKhoangSan() *doc {
	return &doc{
		Issuer:        ubndTinh,
		Number:        docNumber(3456, 0, "UBND-TNMT"),
		Place:         "Quảng Ninh",
		Date:          civilDate{2024, 11, 15},
		Type:          "công văn",
		SubjectPrefix: "V/v ",
		Subject:       "tăng cường quản lý hoạt động khai thác, vận chuyển khoáng sản trên địa bàn tỉnh",
		Body: []string{
			"k:- Các sở: Tài nguyên và Môi trường, Công Thương, Xây dựng;|- Công an tỉnh;|- Ủy ban nhân dân các huyện, thị xã, thành phố.",
			"Thời gian qua, công tác quản lý nhà nước về khoáng sản trên địa bàn tỉnh đã có nhiều chuyển biến tích cực. Tuy nhiên, tình trạng khai thác cát, sỏi lòng sông trái phép tại một số địa phương như Đông Triều, Tiên Yên, Hải Hà vẫn còn diễn biến phức tạp; việc vận chuyển than, đất đá quá tải trọng gây hư hỏng hạ tầng giao thông và ô nhiễm môi trường.",
			"Để chấn chỉnh tình trạng trên, Ủy ban nhân dân tỉnh yêu cầu:",
			"1. Sở Tài nguyên và Môi trường chủ trì kiểm tra, rà soát toàn bộ giấy phép khai thác khoáng sản còn hiệu lực; kiên quyết đình chỉ các mỏ không lắp đặt trạm cân, camera giám sát theo quy định.",
			"2. Công an tỉnh chỉ đạo lực lượng chức năng tăng cường tuần tra, xử lý nghiêm các phương tiện chở khoáng sản không rõ nguồn gốc, chở quá tải trọng cho phép.",
			"3. Ủy ban nhân dân các huyện, thị xã, thành phố chịu trách nhiệm toàn diện trước Ủy ban nhân dân tỉnh nếu để xảy ra khai thác trái phép trên địa bàn; báo cáo kết quả thực hiện trước ngày 20 tháng 12 năm 2024.",
			"Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.",
		},
		Recipients: []string{"- Như trên;", "- CT, các PCT UBND tỉnh;", "- V0, V1, V3, TNMT;", "- Lưu: VT, TNMT."},
		SignTitle:  []string{"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"},
		Signer:     "Vương Thị Bích Ngọc",
	}
}

func cvSGDKhan() *doc {
	return &doc{
		Parent:        parentQN,
		Issuer:        []string{"SỞ GIÁO DỤC VÀ ĐÀO TẠO"},
		Number:        docNumber(1275, 0, "SGDĐT-KHTC"),
		Place:         "Quảng Ninh",
		Date:          civilDate{2024, 8, 6},
		Type:          "công văn",
		SubjectPrefix: "V/v ",
		Subject:       "chuẩn bị cơ sở vật chất, thiết bị dạy học cho năm học 2024 - 2025",
		Urgency:       "KHẨN",
		Body: []string{
			"k:- Phòng Giáo dục và Đào tạo các huyện, thị xã, thành phố;|- Các trường trung học phổ thông trực thuộc Sở.",
			"Thực hiện Kế hoạch số 208/KH-UBND ngày 19 tháng 7 năm 2024 của Ủy ban nhân dân tỉnh về chuẩn bị các điều kiện cho năm học mới, Sở Giáo dục và Đào tạo đề nghị các đơn vị khẩn trương thực hiện một số nội dung sau:",
			"1. Rà soát, sửa chữa phòng học, nhà vệ sinh, hệ thống điện, nước; bảo đảm an toàn tuyệt đối cho học sinh trước ngày tựu trường; đặc biệt lưu ý các điểm trường lẻ ở Bình Liêu, Ba Chẽ, Cô Tô.",
			"2. Kiểm kê thiết bị dạy học tối thiểu theo Chương trình giáo dục phổ thông 2018; lập danh mục thiết bị còn thiếu đối với lớp 5, lớp 9 và lớp 12, gửi về Sở (qua Phòng Kế hoạch - Tài chính) trước ngày 16 tháng 8 năm 2024.",
			"3. Tổ chức tổng vệ sinh trường lớp, trồng cây xanh, trang trí khuôn viên xanh - sạch - đẹp; phối hợp với trạm y tế xã, phường phun thuốc phòng, chống dịch bệnh.",
			"Đây là nhiệm vụ cấp bách, đề nghị Thủ trưởng các đơn vị quan tâm chỉ đạo thực hiện./.",
		},
		Recipients: []string{"- Như trên;", "- UBND tỉnh (b/c);", "- Giám đốc, các PGĐ Sở;", "- Lưu: VT, KHTC."},
		SignTitle:  []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"},
		Signer:     "Chu Thị Hồng Nhung",
	}
}

func bcTienYen() *doc {
	return &doc{
		Issuer:  []string{"ỦY BAN NHÂN DÂN", "HUYỆN TIÊN YÊN"},
		Number:  docNumber(245, 0, "BC-UBND"),
		Place:   "Tiên Yên",
		Date:    civilDate{2023, 7, 3},
		Type:    "báo cáo",
		Title:   "BÁO CÁO",
		Subject: "Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội 6 tháng đầu năm, phương hướng nhiệm vụ 6 tháng cuối năm 2023",
		Body: []string{
			"h:I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM",
			"h:1. Về phát triển kinh tế",
			"Tổng giá trị sản xuất trên địa bàn ước đạt 2.874 tỷ đồng, tăng 9,6% so với cùng kỳ. Sản xuất nông, lâm nghiệp duy trì ổn định; toàn huyện trồng mới 1.215 ha rừng, chủ yếu là cây keo, quế và lim xanh. Hoạt động du lịch phục hồi mạnh, lượng khách đến khu du lịch sinh thái Đồng Rui và suối Khe Lạc ước đạt 46.300 lượt.",
			"Một số chỉ tiêu chủ yếu như sau:",
			"t:",
			"h:2. Về văn hóa - xã hội",
			"Chất lượng giáo dục được nâng lên; tỷ lệ học sinh lớp 9 tốt nghiệp trung học cơ sở đạt 99,2%. Công tác chăm sóc sức khỏe nhân dân được quan tâm; 100% trạm y tế xã đạt bộ tiêu chí quốc gia. Các chính sách an sinh xã hội, hỗ trợ hộ nghèo, hộ cận nghèo được thực hiện đầy đủ, kịp thời, đúng đối tượng.",
			"h:3. Về quốc phòng, an ninh",
			"Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn cơ bản ổn định; lực lượng công an đã phát hiện, xử lý 14 vụ vi phạm pháp luật về khoáng sản và lâm sản, tịch thu 35 m³ gỗ các loại. Công tác tuyển quân năm 2023 hoàn thành 100% chỉ tiêu được giao.",
			"h:II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM",
			"Tập trung đẩy nhanh tiến độ giải ngân vốn đầu tư công; hoàn thành giải phóng mặt bằng dự án đường nối Khu công nghiệp Tiên Yên với Quốc lộ 18; tăng cường quản lý đất đai, khoáng sản và bảo vệ rừng trong mùa khô.",
		},
		Tables: []table{{
			Cols:  []float64{0.9, 3.2, 1.3, 1.5, 1.5},
			Align: "clrrr",
			Head:  1,
			Rows: [][]string{
				{"TT", "Chỉ tiêu", "Đơn vị", "Kế hoạch năm", "Ước thực hiện 6 tháng"},
				{"1", "Thu ngân sách nhà nước", "tỷ đồng", "312,0", "168,4"},
				{"2", "Trồng rừng tập trung", "ha", "2.100", "1.215"},
				{"3", "Khách du lịch", "lượt", "90.000", "46.300"},
				{"4", "Giảm tỷ lệ hộ nghèo", "%", "1,5", "0,8"},
			},
		}},
		Recipients:    []string{"- TT Huyện ủy, TT HĐND huyện;", "- CT, các PCT UBND huyện;", "- Các phòng, ban, đơn vị;", "- Lưu: VT, TCKH."},
		SignTitle:     []string{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"},
		Signer:        "Triệu Văn Sáng",
		FirstPageOnly: true,
	}
}

func khHaLongDuLich() *doc {
	return &doc{
		Issuer:  []string{"ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẠ LONG"},
		Number:  docNumber(112, 0, "KH-UBND"),
		Place:   "Hạ Long",
		Date:    civilDate{2024, 2, 20},
		Type:    "kế hoạch",
		Title:   "KẾ HOẠCH",
		Subject: "Phát triển du lịch cộng đồng tại các xã, phường ven vịnh Cửa Lục năm 2024",
		Body: []string{
			"h:I. MỤC ĐÍCH, YÊU CẦU",
			"1. Khai thác hiệu quả tiềm năng cảnh quan, văn hóa của các làng chài, làng nghề ven vịnh Cửa Lục; tạo thêm sinh kế cho người dân các xã Quảng La, Thống Nhất, Lê Lợi và phường Hà Phong.",
			"2. Việc tổ chức thực hiện phải bảo đảm đồng bộ, tiết kiệm, gắn với bảo vệ môi trường và giữ gìn bản sắc văn hóa của đồng bào dân tộc Dao, Sán Dìu.",
			"h:II. NHIỆM VỤ, GIẢI PHÁP",
			"1. Hoàn thiện quy hoạch chi tiết điểm du lịch cộng đồng thôn Đồng Lá, xã Quảng La; xây dựng 3 tuyến trải nghiệm: chèo thuyền kayak trên vịnh, leo núi Yên Tử phía Đông và tham quan vườn chè hoa vàng.",
			"2. Hỗ trợ 25 hộ gia đình cải tạo nhà ở làm homestay đạt tiêu chuẩn; mở 4 lớp bồi dưỡng kỹ năng đón tiếp khách, nấu ăn và hướng dẫn viên tại điểm cho người dân địa phương.",
			"3. Đẩy mạnh quảng bá sản phẩm trên cổng thông tin du lịch thành phố và các mạng xã hội; tổ chức Lễ hội Hoa sở Quảng La vào tháng 11 năm 2024.",
			"h:III. KINH PHÍ THỰC HIỆN",
			"Tổng kinh phí dự kiến 4,85 tỷ đồng, trong đó ngân sách thành phố 3,2 tỷ đồng, nguồn xã hội hóa 1,65 tỷ đồng.",
		},
		Recipients: []string{"- TT Thành ủy, TT HĐND thành phố;", "- CT, các PCT UBND thành phố;", "- Phòng Văn hóa và Thông tin;", "- Lưu: VT, VHTT."},
		SignTitle:  []string{"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"},
		Signer:     "Lê Hoàng Duy",
	}
}

func ttrRungNgapMan() *doc {
	return &doc{
		Parent:        parentQN,
		Issuer:        []string{"SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN"},
		Number:        docNumber(98, 0, "TTr-SNNPTNT"),
		Place:         "Quảng Ninh",
		Date:          civilDate{2021, 10, 12},
		Type:          "tờ trình",
		Title:         "TỜ TRÌNH",
		SubjectPrefix: "Về việc ",
		Subject:       "đề nghị phê duyệt dự toán kinh phí trồng phục hồi rừng ngập mặn tại huyện Vân Đồn năm 2022",
		Body: []string{
			"k:Ủy ban nhân dân tỉnh Quảng Ninh.",
			"Thực hiện Quyết định số 1807/QĐ-UBND ngày 08 tháng 6 năm 2021 của Ủy ban nhân dân tỉnh về việc giao chỉ tiêu phát triển rừng năm 2022, Sở Nông nghiệp và Phát triển nông thôn đã phối hợp với Ủy ban nhân dân huyện Vân Đồn khảo sát, lập hồ sơ thiết kế trồng rừng ngập mặn. Sở kính trình Ủy ban nhân dân tỉnh như sau:",
			"h:1. Sự cần thiết",
			"Diện tích rừng ngập mặn ven biển huyện Vân Đồn bị suy giảm do nuôi trồng thủy sản và tác động của bão số 3 năm 2021. Việc trồng phục hồi rừng giúp chắn sóng, bảo vệ đê biển và tạo môi trường sinh sản cho các loài thủy sản.",
			"h:2. Nội dung đề nghị",
			"- Địa điểm: các xã Đông Xá, Hạ Long, Bản Sen, huyện Vân Đồn.",
			"- Quy mô: 45,6 ha; loài cây trồng: đâng, vẹt dù, trang; mật độ 10.000 cây/ha.",
			"- Tổng dự toán: 7.842.560.000 đồng (Bảy tỷ, tám trăm bốn mươi hai triệu, năm trăm sáu mươi nghìn đồng) từ nguồn vốn sự nghiệp lâm nghiệp năm 2022.",
			"Sở Nông nghiệp và Phát triển nông thôn kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt./.",
		},
		Recipients: []string{"- Như trên;", "- Sở Tài chính;", "- UBND huyện Vân Đồn;", "- Lưu: VT, KL."},
		SignTitle:  []string{"GIÁM ĐỐC"},
		Signer:     "Tô Minh Khải",
	}
}

func tbUongBi() *doc {
	return &doc{
		Issuer:  []string{"ỦY BAN NHÂN DÂN", "THÀNH PHỐ UÔNG BÍ"},
		Number:  docNumber(356, 0, "TB-UBND"),
		Place:   "Uông Bí",
		Date:    civilDate{2020, 9, 25},
		Type:    "thông báo",
		Title:   "THÔNG BÁO",
		Subject: "Kết luận của Chủ tịch Ủy ban nhân dân thành phố tại buổi kiểm tra tiến độ dự án đường trục chính phía Nam",
		Body: []string{
			"Ngày 18 tháng 9 năm 2020, đồng chí Nguyễn Khắc Dũng, Chủ tịch Ủy ban nhân dân thành phố đã chủ trì kiểm tra thực địa tiến độ thi công dự án đường trục chính phía Nam thành phố Uông Bí. Tham dự có lãnh đạo các phòng: Quản lý đô thị, Tài nguyên và Môi trường, Tài chính - Kế hoạch; Ban Quản lý dự án đầu tư xây dựng thành phố; Ủy ban nhân dân các phường Phương Nam, Phương Đông và đại diện nhà thầu thi công.",
			"Sau khi nghe báo cáo và ý kiến của các đơn vị, Chủ tịch Ủy ban nhân dân thành phố kết luận như sau:",
			"1. Dự án đã hoàn thành 62% khối lượng; tuy nhiên đoạn qua khu dân cư tổ 7, phường Phương Nam còn vướng mặt bằng với 11 hộ gia đình, làm chậm tiến độ chung.",
			"2. Giao Ủy ban nhân dân phường Phương Nam chủ trì, phối hợp với Trung tâm Phát triển quỹ đất tiếp tục vận động các hộ dân bàn giao mặt bằng trước ngày 15 tháng 10 năm 2020; trường hợp cố tình không chấp hành, lập hồ sơ cưỡng chế theo quy định.",
			"3. Yêu cầu nhà thầu bổ sung nhân lực, máy móc, tổ chức thi công ba ca; bảo đảm an toàn giao thông và vệ sinh môi trường trong quá trình thi công.",
			"Ủy ban nhân dân thành phố thông báo để các cơ quan, đơn vị biết, thực hiện./.",
		},
		Recipients: []string{"- CT, các PCT UBND thành phố;", "- Các đơn vị dự họp;", "- Lưu: VT."},
		SignTitle:  []string{"TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"},
		Signer:     "Lương Thị Minh Nguyệt",
	}
}

func qdChieuSang() *doc {
	return &doc{
		Issuer:  ubndTinh,
		Number:  docNumber(15, 2024, "QĐ-UBND"),
		Place:   "Quảng Ninh",
		Date:    civilDate{2024, 5, 31},
		Type:    "quyết định",
		Title:   "QUYẾT ĐỊNH",
		Subject: "Ban hành Quy định quản lý, vận hành hệ thống chiếu sáng công cộng trên địa bàn tỉnh Quảng Ninh",
		Body: []string{
			"c:ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
			"i:" + canCuLuat,
			"i:Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;",
			"i:Căn cứ Nghị định số 79/2009/NĐ-CP ngày 28 tháng 9 năm 2009 của Chính phủ về quản lý chiếu sáng đô thị;",
			"i:Theo đề nghị của Giám đốc Sở Xây dựng tại Tờ trình số 215/TTr-SXD ngày 10 tháng 5 năm 2024.",
			"c:QUYẾT ĐỊNH:",
			"**Điều 1.** Ban hành kèm theo Quyết định này Quy định quản lý, vận hành hệ thống chiếu sáng công cộng trên địa bàn tỉnh Quảng Ninh.",
			"**Điều 2.** Quyết định này có hiệu lực thi hành kể từ ngày 15 tháng 6 năm 2024 và thay thế Quyết định số 27/2017/QĐ-UBND ngày 04 tháng 9 năm 2017 của Ủy ban nhân dân tỉnh.",
			"**Điều 3.** Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc các sở: Xây dựng, Tài chính, Công Thương; Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
		},
		Recipients: []string{"- Bộ Xây dựng (b/c);", "- Cục Kiểm tra VBQPPL - Bộ Tư pháp;", "- TT Tỉnh ủy, TT HĐND tỉnh;", "- Như Điều 3;", "- Lưu: VT, XD."},
		SignTitle:  []string{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"},
		Signer:     "Vương Thị Bích Ngọc",
	}
}

func cvDongTrieuMat() *doc {
	return &doc{
		Issuer:        []string{"ỦY BAN NHÂN DÂN", "THỊ XÃ ĐÔNG TRIỀU"},
		Number:        docNumber(215, 0, "UBND-TTr"),
		Place:         "Đông Triều",
		Date:          civilDate{2022, 12, 8},
		Type:          "công văn",
		SubjectPrefix: "V/v ",
		Subject:       "giải quyết đơn kiến nghị của công dân liên quan đến bồi thường, giải phóng mặt bằng",
		Secrecy:       "MẬT",
		Body: []string{
			"k:Thanh tra tỉnh Quảng Ninh.",
			"Ủy ban nhân dân thị xã Đông Triều nhận được Văn bản số 1184/TTr-NV3 ngày 21 tháng 11 năm 2022 của Thanh tra tỉnh về việc chuyển đơn kiến nghị của một số hộ dân phường Mạo Khê liên quan đến việc bồi thường, hỗ trợ khi thu hồi đất thực hiện dự án cụm công nghiệp Kim Sen.",
			"Sau khi rà soát hồ sơ, Ủy ban nhân dân thị xã báo cáo như sau:",
			"1. Việc thu hồi đất, lập phương án bồi thường được thực hiện đúng trình tự, thủ tục; giá đất cụ thể được Ủy ban nhân dân tỉnh phê duyệt tại Quyết định số 2691/QĐ-UBND ngày 17 tháng 8 năm 2022.",
			"2. Đối với kiến nghị hỗ trợ chuyển đổi nghề nghiệp của 06 hộ gia đình, thị xã đã giao Phòng Tài nguyên và Môi trường phối hợp với Trung tâm Phát triển quỹ đất kiểm tra, xác minh; dự kiến hoàn thành trong tháng 12 năm 2022.",
			"Ủy ban nhân dân thị xã Đông Triều báo cáo để Thanh tra tỉnh biết, tổng hợp./.",
		},
		Recipients: []string{"- Như trên;", "- TT Thị ủy, TT HĐND thị xã;", "- CT, các PCT UBND thị xã;", "- Lưu: VT, TTr."},
		SignTitle:  []string{"CHỦ TỊCH"},
		Signer:     "Ninh Quốc Bảo",
	}
}

func qdMongCaiGPMB() *doc {
	return &doc{
		Issuer:        []string{"ỦY BAN NHÂN DÂN", "THÀNH PHỐ MÓNG CÁI"},
		Number:        docNumber(1890, 0, "QĐ-UBND"),
		Place:         "Móng Cái",
		Date:          civilDate{2019, 11, 4},
		Type:          "quyết định",
		Title:         "QUYẾT ĐỊNH",
		SubjectPrefix: "Về việc ",
		Subject:       "phê duyệt phương án bồi thường, hỗ trợ giải phóng mặt bằng dự án nâng cấp tuyến đường Trà Cổ - Bình Ngọc (đợt 2)",
		Body: []string{
			"c:CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ MÓNG CÁI",
			"i:Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
			"i:Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;",
			"i:Căn cứ Quyết định số 09/2019/QĐ-UBND ngày 12 tháng 3 năm 2019 của Ủy ban nhân dân tỉnh ban hành quy định về bồi thường, hỗ trợ, tái định cư khi Nhà nước thu hồi đất;",
			"i:Xét đề nghị của Trưởng phòng Tài nguyên và Môi trường thành phố tại Tờ trình số 733/TTr-TNMT ngày 29 tháng 10 năm 2019.",
			"c:QUYẾT ĐỊNH:",
			"**Điều 1.** Phê duyệt phương án bồi thường, hỗ trợ giải phóng mặt bằng dự án nâng cấp tuyến đường Trà Cổ - Bình Ngọc (đợt 2) tại phường Trà Cổ và phường Bình Ngọc, với tổng diện tích thu hồi 18.426,7 m² của 57 hộ gia đình, cá nhân; tổng kinh phí bồi thường, hỗ trợ là 23.915.482.000 đồng.",
			"**Điều 2.** Giao Trung tâm Phát triển quỹ đất thành phố niêm yết công khai phương án tại trụ sở Ủy ban nhân dân phường; thông báo và chi trả tiền bồi thường cho các hộ gia đình, cá nhân theo đúng quy định.",
			"**Điều 3.** Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND thành phố; Trưởng các phòng: Tài nguyên và Môi trường, Tài chính - Kế hoạch; Giám đốc Trung tâm Phát triển quỹ đất; Chủ tịch Ủy ban nhân dân các phường Trà Cổ, Bình Ngọc và các hộ có tên trong phương án chịu trách nhiệm thi hành Quyết định này./.",
		},
		Recipients: []string{"- Như Điều 3;", "- CT, các PCT UBND thành phố;", "- Lưu: VT, TNMT."},
		SignTitle:  []string{"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"},
		Signer:     "Đoàn Thị Ngọc Diệp",
	}
}

func nqCamPhaThuHoi() *doc {
	return &doc{
		Issuer:        []string{"HỘI ĐỒNG NHÂN DÂN", "THÀNH PHỐ CẨM PHẢ"},
		Number:        docNumber(18, 0, "NQ-HĐND"),
		Place:         "Cẩm Phả",
		Date:          civilDate{2021, 12, 17},
		Type:          "nghị quyết",
		Title:         "NGHỊ QUYẾT",
		SubjectPrefix: "Về việc ",
		Subject:       "thông qua danh mục các dự án cần thu hồi đất năm 2022 trên địa bàn thành phố Cẩm Phả",
		Body: []string{
			"c:HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ CẨM PHẢ",
			"c:KHÓA XX - KỲ HỌP THỨ 4",
			"i:Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
			"i:Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;",
			"i:Xét Tờ trình số 402/TTr-UBND ngày 06 tháng 12 năm 2021 của Ủy ban nhân dân thành phố; Báo cáo thẩm tra của Ban Kinh tế - Xã hội Hội đồng nhân dân thành phố và ý kiến của đại biểu tại kỳ họp.",
			"c:QUYẾT NGHỊ:",
			"**Điều 1.** Thông qua danh mục 23 dự án cần thu hồi đất năm 2022 trên địa bàn thành phố với tổng diện tích 96,35 ha, trong đó: đất trồng lúa 4,12 ha; đất rừng sản xuất 31,8 ha; đất ở 2,05 ha và các loại đất khác 58,38 ha. Các dự án lớn gồm: mở rộng khu tái định cư phường Cẩm Thạch; xây dựng Trường Trung học cơ sở Cẩm Trung; đường ven biển đoạn Quang Hanh - Cửa Ông.",
			"**Điều 2.** Giao Ủy ban nhân dân thành phố tổ chức thực hiện Nghị quyết; Thường trực Hội đồng nhân dân, các Ban và đại biểu Hội đồng nhân dân thành phố giám sát việc thực hiện.",
			"Nghị quyết này đã được Hội đồng nhân dân thành phố Cẩm Phả khóa XX, kỳ họp thứ 4 thông qua ngày 17 tháng 12 năm 2021 và có hiệu lực kể từ ngày thông qua./.",
		},
		Recipients: []string{"- TT HĐND, UBND tỉnh;", "- TT Thành ủy;", "- Đại biểu HĐND thành phố;", "- Lưu: VT."},
		SignTitle:  []string{"CHỦ TỊCH"},
		Signer:     "Tạ Văn Khiêm",
	}
}

func bcVinhRacThai() *doc {
	return &doc{
		Parent:  parentQN,
		Issuer:  []string{"BAN QUẢN LÝ VỊNH HẠ LONG"},
		Number:  docNumber(42, 0, "BC-BQLVHL"),
		Place:   "Hạ Long",
		Date:    civilDate{2026, 4, 8},
		Type:    "báo cáo",
		Title:   "BÁO CÁO",
		Subject: "Tình hình thu gom rác thải nổi trên Vịnh Hạ Long quý I năm 2026",
		Body: []string{
			"Thực hiện nhiệm vụ được giao, Ban Quản lý Vịnh Hạ Long báo cáo tình hình thu gom rác thải nổi trên vịnh trong quý I năm 2026 như sau:",
			"h:1. Kết quả thu gom",
			"Trong quý, lực lượng vệ sinh môi trường đã duy trì 14 tàu thu gom hoạt động hằng ngày trên các tuyến tham quan số 1, số 2 và số 3; thu gom được 412 tấn rác thải các loại, giảm 8% so với cùng kỳ năm 2025. Thành phần chủ yếu là phao xốp nuôi trồng thủy sản cũ, chai nhựa, túi ni lông và rác sinh hoạt trôi dạt từ các cửa sông.",
			"Các điểm tồn đọng nhiều rác gồm: khu vực hang Sửng Sốt, đảo Ti Tốp, bãi tắm Soi Sim và vùng nước quanh làng chài Cửa Vạn. Sau các đợt gió mùa Đông Bắc, lượng rác dạt vào chân các đảo đá tăng rõ rệt.",
			"h:2. Tồn tại, hạn chế",
			"Một số tàu thu gom đã xuống cấp, thường xuyên phải sửa chữa; việc thay thế phao xốp bằng phao nhựa HDPE tại các cơ sở nuôi trồng thủy sản còn chậm; ý thức của một bộ phận du khách và người dân ven bờ chưa cao.",
			"h:3. Đề xuất, kiến nghị",
			"Đề nghị Ủy ban nhân dân tỉnh bố trí kinh phí đầu tư bổ sung 04 tàu thu gom chuyên dụng; chỉ đạo các địa phương ven vịnh xử lý dứt điểm việc sử dụng phao xốp trước ngày 30 tháng 6 năm 2026.",
		},
		Recipients: []string{"- UBND tỉnh (b/c);", "- Sở Nông nghiệp và Môi trường;", "- Lưu: VT, MT."},
		SignTitle:  []string{"TRƯỞNG BAN"},
		Signer:     "Lê Thị Thu Hà",
	}
}

func khSuKien() *doc {
	return &doc{
		Parent:  []string{"ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"},
		Issuer:  []string{"SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"},
		Number:  docNumber(1563, 0, "KH-SVHTTDL"),
		Place:   "Quảng Ninh",
		Date:    civilDate{2025, 9, 10},
		Type:    "kế hoạch",
		Title:   "KẾ HOẠCH",
		Subject: "Tổ chức chuỗi sự kiện văn hóa, thể thao, du lịch chào mừng Năm mới 2026 tại đặc khu Vân Đồn và đặc khu Cô Tô",
		Body: []string{
			"h:I. MỤC ĐÍCH, YÊU CẦU",
			"Quảng bá hình ảnh biển đảo Quảng Ninh, thu hút khách du lịch trong nước và quốc tế trong mùa thấp điểm; tạo không khí vui tươi, phấn khởi trong nhân dân dịp đón Năm mới. Các hoạt động phải được tổ chức an toàn, tiết kiệm, hiệu quả, phù hợp với điều kiện thời tiết mùa đông trên biển.",
			"h:II. NỘI DUNG, THỜI GIAN, ĐỊA ĐIỂM",
			"1. Giải chạy “Cô Tô - Đảo tiền tiêu” cự ly 5 km, 10 km và 21 km, tổ chức ngày 27 tháng 12 năm 2025 tại trung tâm đặc khu Cô Tô, dự kiến 1.200 vận động viên tham gia.",
			"2. Lễ hội ẩm thực biển và chương trình nghệ thuật “Chào năm mới 2026” tại quảng trường Cái Rồng, đặc khu Vân Đồn, từ ngày 30 tháng 12 năm 2025 đến ngày 01 tháng 01 năm 2026.",
			"3. Triển lãm ảnh “Vân Đồn - thương cảng cổ” giới thiệu các di tích khảo cổ Cống Cái, Cống Yên, bến Cái Làng và đền Quan Lạn.",
			"h:III. TỔ CHỨC THỰC HIỆN",
			"Phòng Quản lý du lịch chủ trì, phối hợp với Trung tâm Thông tin và Xúc tiến du lịch xây dựng kịch bản chi tiết; Ủy ban nhân dân các đặc khu bảo đảm an ninh trật tự, vệ sinh môi trường, y tế và phương tiện đưa đón khách tại các bến tàu.",
		},
		Recipients: []string{"- UBND tỉnh (b/c);", "- UBND đặc khu Vân Đồn, Cô Tô;", "- Giám đốc, các PGĐ Sở;", "- Lưu: VT, QLDL."},
		SignTitle:  []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"},
		Signer:     "Kiều Thị Phương Thảo",
	}
}

func tbCauTienYen() *doc {
	return &doc{
		Parent:        parentQN,
		Issuer:        []string{"SỞ GIAO THÔNG VẬN TẢI"},
		Number:        docNumber(1832, 0, "TB-SGTVT"),
		Place:         "Quảng Ninh",
		Date:          civilDate{2021, 5, 17},
		Type:          "thông báo",
		Title:         "THÔNG BÁO",
		SubjectPrefix: "Về việc ",
		Subject:       "hạn chế lưu thông qua cầu Khe Tiên trên Quốc lộ 18C để sửa chữa khe co giãn",
		Body: []string{
			"Để bảo đảm an toàn công trình và an toàn giao thông, Sở Giao thông vận tải thông báo phương án tổ chức giao thông trong thời gian sửa chữa khe co giãn cầu Khe Tiên, Quốc lộ 18C, địa phận xã Phong Dụ, huyện Tiên Yên như sau:",
			"1. Thời gian: từ 07 giờ 00 ngày 24 tháng 5 năm 2021 đến 18 giờ 00 ngày 06 tháng 6 năm 2021.",
			"2. Phương án: thi công lần lượt từng nửa mặt cầu; các phương tiện lưu thông một chiều luân phiên trên nửa cầu còn lại, có người hướng dẫn và đèn tín hiệu điều khiển. Cấm các xe có tổng trọng lượng trên 10 tấn đi qua cầu trong thời gian thi công; các xe này đi theo Quốc lộ 4B và Quốc lộ 18 để về thành phố Móng Cái.",
			"3. Đơn vị thi công có trách nhiệm lắp đặt đầy đủ biển báo, rào chắn, đèn chiếu sáng ban đêm; bố trí người điều tiết giao thông 24/24 giờ tại hai đầu cầu.",
			"Sở Giao thông vận tải thông báo để các tổ chức, cá nhân tham gia giao thông biết, chủ động lựa chọn lộ trình phù hợp./.",
		},
		Recipients: []string{"- UBND tỉnh (b/c);", "- Công an tỉnh;", "- UBND huyện Tiên Yên, Bình Liêu;", "- Lưu: VT, QLGT."},
		SignTitle:  []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"},
		Signer:     "Phạm Thanh Bình",
	}
}

func cvVanDonChayRung() *doc {
	return &doc{
		Issuer:        []string{"ỦY BAN NHÂN DÂN", "HUYỆN VÂN ĐỒN"},
		Number:        docNumber(2587, 0, "UBND-NN"),
		Place:         "Vân Đồn",
		Date:          civilDate{2019, 10, 28},
		Type:          "công văn",
		SubjectPrefix: "V/v ",
		Subject:       "tăng cường các biện pháp phòng cháy, chữa cháy rừng mùa khô năm 2019 - 2020",
		Body: []string{
			"k:- Hạt Kiểm lâm huyện;|- Ủy ban nhân dân các xã, thị trấn.",
			"Theo dự báo của cơ quan khí tượng, mùa khô năm 2019 - 2020 trên địa bàn tỉnh có khả năng kéo dài, nắng nóng, độ ẩm thấp, nguy cơ xảy ra cháy rừng rất cao, nhất là tại các khu rừng thông, rừng keo trên đảo Cái Bầu và các xã đảo Quan Lạn, Minh Châu, Thắng Lợi.",
			"Để chủ động phòng ngừa, Ủy ban nhân dân huyện yêu cầu:",
			"1. Ủy ban nhân dân các xã, thị trấn kiện toàn Ban Chỉ huy phòng cháy, chữa cháy rừng; rà soát, cập nhật phương án theo phương châm “bốn tại chỗ”; tuyên truyền, yêu cầu các hộ nhận khoán không đốt thực bì, đốt nương rẫy trong thời gian cao điểm.",
			"2. Hạt Kiểm lâm huyện bố trí lực lượng trực 24/24 giờ tại các chòi canh lửa; phối hợp với Ban Chỉ huy Quân sự huyện tổ chức diễn tập chữa cháy rừng tại xã Đông Xá trong tháng 11 năm 2019.",
			"3. Trường hợp để xảy ra cháy rừng do thiếu trách nhiệm, Chủ tịch Ủy ban nhân dân xã phải chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân huyện.",
			"Yêu cầu các đơn vị nghiêm túc thực hiện./.",
		},
		Recipients: []string{"- Như trên;", "- TT Huyện ủy, TT HĐND huyện;", "- CT, các PCT UBND huyện;", "- Lưu: VT, NN."},
		SignTitle:  []string{"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"},
		Signer:     "Vi Văn Đức",
	}
}

func proseBaiTuLong() *doc {
	return &doc{
		Body: []string{
			"T:CHƯƠNG HAI",
			"T:VỊNH BÁI TỬ LONG TRONG KÝ ỨC NGƯỜI LÀNG CHÀI",
			"s:(Trích tập bút ký “Gió mặn Vân Đồn”)",
			"Những buổi sáng cuối thu, mặt vịnh Bái Tử Long phẳng lặng như một tấm gương khổng lồ. Từ bến Cái Rồng nhìn ra, hàng trăm hòn đảo đá vôi nhấp nhô, lúc ẩn lúc hiện trong làn sương mỏng. Ông Sáu, người đã gắn bó cả đời với nghề chài lưới, bảo rằng chỉ cần nhìn màu nước là biết hôm ấy cá về nhiều hay ít.",
			"Ngày trước, cả làng chài sống trên những chiếc thuyền gỗ nhỏ, neo sát vào nhau ở vụng kín gió. Trẻ con học bơi trước khi biết đi, người già thuộc tên từng hòn đảo, từng con lạch như thuộc đường trong ngõ. Mùa gió bấc, cả xóm kéo nhau vào trú trong những hang đá, đốt lửa nướng mực, kể cho nhau nghe chuyện thương cảng Vân Đồn xưa với những đoàn thuyền buôn từ phương xa.",
			"Bây giờ phần lớn các gia đình đã lên bờ, con cháu đi học, làm du lịch, mở nhà nghỉ đón khách. Nhưng cứ đến rằm tháng Giêng, người làng lại tụ về miếu Cô, thắp nén hương, thả chiếc thuyền giấy nhỏ ra biển. Ông Sáu nói, biển cho mình cái ăn, cái mặc, thì mình cũng phải biết giữ biển sạch, giữ lấy cái tình của người làng chài.",
			"Chiều xuống, những chiếc thuyền nan cuối cùng trở về bến, mang theo mẻ cá song, cá mú còn giãy đành đạch. Tiếng gọi nhau í ới, mùi khói bếp và mùi rong biển quyện vào nhau, thành thứ hương vị mà ai đã một lần đến đây đều khó quên.",
			"f:- 27 -",
		},
	}
}

func tableRungTrong() *doc {
	return &doc{
		Body: []string{
			"T:Bảng 3. Diện tích rừng trồng mới phân theo địa phương",
			"s:(Số liệu minh họa, đơn vị tính: ha)",
			"t:",
			"Ghi chú: số liệu năm 2026 là số ước thực hiện; tổng cộng có thể chênh lệch do làm tròn.",
		},
		Tables: []table{{
			Cols:  []float64{0.8, 3.2, 1.5, 1.5, 1.5, 1.6},
			Align: "clrrrr",
			Head:  1,
			Rows: [][]string{
				{"TT", "Địa phương", "2023", "2024", "2025", "Ước 2026"},
				{"1", "Hạ Long", "412,5", "398,0", "405,2", "410,0"},
				{"2", "Cẩm Phả", "356,8", "371,4", "362,9", "380,0"},
				{"3", "Uông Bí", "298,1", "305,6", "311,0", "315,5"},
				{"4", "Đông Triều", "275,4", "268,9", "281,3", "290,0"},
				{"5", "Móng Cái", "520,7", "498,2", "510,6", "525,0"},
				{"6", "Tiên Yên", "1.184,3", "1.215,0", "1.198,7", "1.230,0"},
				{"7", "Bình Liêu", "962,0", "987,5", "1.002,4", "1.010,0"},
				{"8", "Ba Chẽ", "1.436,9", "1.402,1", "1.455,8", "1.470,0"},
				{"9", "Vân Đồn", "214,6", "228,3", "219,9", "225,0"},
				{"10", "Cô Tô", "38,2", "41,0", "36,5", "40,0"},
				{"", "Tổng cộng", "5.699,5", "5.716,0", "5.784,3", "5.895,5"},
			},
		}},
	}
}
