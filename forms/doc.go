// Package forms models the certificate-request forms of Vietnam's government-dedicated
// CA — Thông tư 185/2019/TT-BQP Mẫu 01–15 and Nghị định 68/2024/NĐ-CP Mẫu 01–09 — and
// the periodic usage report, so portals can collect the data, validate it, render the
// official letter as a PDF ready to sign, and exchange it as structured data.
//
// # Definitions are data
//
// Each form is a Definition loaded from an embedded JSON file (definitions/, schema in
// definitions/README.md): identifier ("tt185/mau-01"), title, legal basis and procedure,
// header defaults ("Kính gửi: Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính
// phủ"), numbered sections with typed fields (text, date, enum, phone, e-mail, CCCD,
// CMND, tax code, …), list tables, the signature block, realistic sample data and
// Provenance. The official field lists of the TT 185 forms were not available: those
// definitions say "reconstructed" and explain what they are built from, so an agency
// holding the official text can correct them.
//
// A Registry holds the built-in definitions; Registry.Load and Registry.LoadDir add an
// agency's own files without forking: new forms, relabelled or stricter fields, added
// fields and list columns, overridden defaults (the province's managing body), sample
// values for what it added. Invalid files and conflicts are reported as
// *DefinitionError with file and line.
//
// # Data, validation, exchange
//
// Data is the generic filled-in form (header, fields, list rows, all strings as typed).
// Definition.Validate returns a *ValidationError whose *Problem values name the field,
// or the list row and column, in Vietnamese and English, and wrap a sentinel such as
// ErrInvalidCCCD or ErrInvalidPhone for errors.Is. Typed views (IndividualRequest,
// RevocationRequest, HandoverMinutes, …) convert with ToData and FromData.
// MarshalData/UnmarshalData exchange JSON; Definition.JSONSchema describes it for
// front ends; ImportCSV/ImportXLSX and ExportCSV/ExportXLSX move list tables to and
// from spreadsheets, reporting problems by spreadsheet row.
//
// # Rendering
//
// Definition.Render draws the letter per Nghị định 30/2020 Phụ lục I: A4 with its
// margins, Quốc hiệu and Tiêu ngữ with the underline, issuing body, số/ký hiệu, place
// and date in italics, the "V/v" summary, "Kính gửi", numbered sections, lists as
// tables that break across pages with repeated headers (a list marked as an annex, or
// too wide for a portrait page, follows the letter as a "phụ biểu" or "danh sách kèm
// theo", on landscape pages when wide), the signature
// block with room for a visible digital signature (RenderDocument reports where), and
// "Nơi nhận". Text is NFC and set in the embedded
// Liberation Serif (Times New Roman metrics), embedded as subset CIDFontType2 fonts
// with ToUnicode maps, so pdftotext returns the Vietnamese text exactly. pdfcpu v0.15
// can embed TrueType fonts only through a process-wide font directory on disk, so the
// package carries its own compact PDF writer.
//
// # Reports and deadlines
//
// The "report/usage" form follows Quảng Ninh's outline (sections I–IV and an annex
// table). ReportingProfile.Deadlines computes when a periodic report is due in a
// province (Quảng Ninh: the 20th monthly, 20 January yearly, moved to the next working
// day; Hà Tĩnh: before 17 June and 17 December, moved back — an assumption the data
// marks), from the same one-file-per-province data the policy package reads, with a
// Calendar of Vietnamese public holidays whose lunar dates (Tết, Giỗ Tổ Hùng Vương) are
// computed by SolarToLunar and LunarToSolar (Hồ Ngọc Đức's algorithm, UTC+7). The
// calendar and the deadline computation are shared with policy (internal/calendar,
// internal/province).
//
// The TT 185/2019 forms carry the date their regime ended (Definition.Superseded,
// 15/8/2024) and the NĐ 68/2024 form that replaces each (ReplacedBy): one dated later
// still renders, with a Warning in Rendered.Warnings naming the replacement.
package forms
