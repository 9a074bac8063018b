#!/bin/sh
# Makes record-3docs.tif: one record (hồ sơ) of three documents in nine A4
# pages at 300 dpi, as a scanner gives a record folder in one multi-page
# TIFF (CCITT Group 4). The first page of each document is a sample first
# page (samples/documents); the continuation pages, including an annex
# (PHỤ LỤC) at the end of the third document, are body text rendered here.
# All texts are fictional, written for this test.
#
#   document 1 (quyết định, doc-01-quyet-dinh): pages 1-4
#   document 2 (công văn,   doc-11-cong-van):   pages 5-6
#   document 3 (báo cáo,    doc-04-bao-cao):    pages 7-9 (page 9 an annex)
#
# Needs ImageMagick and the DejaVu Serif font (deploy/setup-debian.sh
# samples). Run from this folder: sh make-record.sh
set -eu
root=../../../..
docs=$root/samples/documents
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# page NAME TEXT: body text on a blank A4 page, 2.4 cm margins.
page() {
  convert -units PixelsPerInch -density 300 -size 1920x -background white -fill black \
    -font DejaVu-Serif -pointsize 12.5 -interline-spacing 18 caption:"$2" \
    -gravity northwest -background white -extent 2480x3508-280-260 \
    -colorspace Gray -depth 8 "$tmp/$1.png"
}

page p2 "$(cat <<'T'
Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Các quy định trước đây trái với Quyết định này đều bãi bỏ.

Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, ban, ngành thuộc tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.

Việc quản lý, vận hành hệ thống chiếu sáng công cộng phải bảo đảm an toàn, tiết kiệm điện năng, phù hợp với quy hoạch đô thị và cảnh quan của từng địa phương. Đơn vị quản lý vận hành có trách nhiệm kiểm tra định kỳ, sửa chữa kịp thời các hư hỏng và báo cáo kết quả thực hiện về Sở Xây dựng trước ngày 15 tháng 12 hằng năm.
T
)"
page p3 "$(cat <<'T'
Chương II
TRÁCH NHIỆM CỦA CÁC CƠ QUAN, ĐƠN VỊ

Điều 4. Trách nhiệm của Sở Xây dựng
1. Chủ trì, phối hợp với các sở, ngành liên quan hướng dẫn, kiểm tra việc thực hiện Quy định này trên địa bàn tỉnh.
2. Tổng hợp tình hình quản lý, vận hành hệ thống chiếu sáng công cộng, báo cáo Ủy ban nhân dân tỉnh theo định kỳ hoặc khi có yêu cầu.

Điều 5. Trách nhiệm của Ủy ban nhân dân cấp huyện
1. Tổ chức quản lý, vận hành hệ thống chiếu sáng công cộng được giao trên địa bàn.
2. Bố trí kinh phí duy tu, bảo dưỡng hằng năm theo phân cấp ngân sách hiện hành.
T
)"
page p4 "$(cat <<'T'
Điều 6. Tổ chức thực hiện
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh kịp thời về Sở Xây dựng để tổng hợp, báo cáo Ủy ban nhân dân tỉnh xem xét, sửa đổi, bổ sung cho phù hợp.

Nơi nhận:
- Như Điều 3;
- Bộ Xây dựng (b/c);
- TT Tỉnh ủy, TT HĐND tỉnh (b/c);
- Lưu: VT, XD.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
T
)"
page p6 "$(cat <<'T'
Ủy ban nhân dân các xã, thị trấn chỉ đạo các thôn, khu phố tổ chức trực phòng cháy, chữa cháy rừng 24/24 giờ trong những ngày nắng nóng kéo dài; kiểm tra, phát hiện sớm các điểm cháy và huy động lực lượng tại chỗ để dập tắt ngay khi đám cháy mới phát sinh.

Hạt Kiểm lâm huyện phối hợp với Công an huyện tăng cường tuần tra, kiểm soát người ra vào rừng, xử lý nghiêm các hành vi vi phạm quy định về phòng cháy, chữa cháy rừng.

Nơi nhận:
- Như trên;
- Lưu: VT, NN.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
T
)"
page p8 "$(cat <<'T'
II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2023
1. Tiếp tục thực hiện quyết liệt các giải pháp thúc đẩy tăng trưởng kinh tế, tập trung tháo gỡ khó khăn cho sản xuất, kinh doanh.
2. Đẩy nhanh tiến độ giải ngân vốn đầu tư công, bảo đảm hoàn thành kế hoạch được giao.
3. Thực hiện tốt công tác bảo đảm an sinh xã hội, chăm lo đời sống nhân dân.

Nơi nhận:
- UBND tỉnh (b/c);
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
T
)"
page p9 "$(cat <<'T'
PHỤ LỤC
KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU
(Kèm theo Báo cáo số 245/BC-UBND ngày 03 tháng 7 năm 2023 của Ủy ban nhân dân huyện Tiên Yên)

1. Tổng giá trị sản xuất ước đạt 52 phần trăm kế hoạch năm.
2. Thu ngân sách nhà nước trên địa bàn ước đạt 61 phần trăm dự toán.
3. Tỷ lệ hộ nghèo giảm còn 1,2 phần trăm.
4. Số lao động được tạo việc làm mới đạt 1.150 người.
T
)"

convert "$docs/doc-01-quyet-dinh.png" "$tmp/p2.png" "$tmp/p3.png" "$tmp/p4.png" \
  "$docs/doc-11-cong-van.png" "$tmp/p6.png" \
  "$docs/doc-04-bao-cao.png" "$tmp/p8.png" "$tmp/p9.png" \
  -units PixelsPerInch -density 300 -threshold 55% -compress Group4 record-3docs.tif
echo "record-3docs.tif: $(identify record-3docs.tif | wc -l) pages, $(wc -c < record-3docs.tif) bytes"
