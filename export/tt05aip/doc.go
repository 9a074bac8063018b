// Package tt05aip writes the archive package of Thông tư 05/2025/TT-BNV
// (the Interior Ministry's circular on digital archival records) for one
// digitised record (hồ sơ): an AIP_hoso, the circular's extension of E-ARK
// CSIP 2.0.4, zipped. It also holds what the package needs before it can
// be written: the record's and the documents' metadata with the
// circular's field names, their code tables, validation, the naming rules
// of the files, and the parsing of record metadata given as KEY=VALUE
// pairs or as a record list (CSV, one row per record).
//
// A package is streamed: the documents' PDFs are copied from readers into
// the zip while their SHA-256 and size are computed, one at a time, and
// only the small XML files are built in memory. Identifiers are UUIDv5 of
// the record's arcFileCode and the file's path in the package, so the same
// inputs give the same package byte for byte.
//
// docs/archive-package.md describes the layout, every field and where its
// value comes from, and which rules were checked against the circular's
// own text and which against public summaries only.
package tt05aip
