// Package calendar decides working days in Vietnamese state bodies and converts
// between the Gregorian and the Vietnamese lunisolar calendar (âm lịch). It is shared
// by forms (report deadlines on its forms) and policy (the deadlines of a province
// profile): a deadline is computed in one place.
//
// Calendar applies Bộ luật Lao động 2019 Điều 112 (public holidays, Tết by the lunar
// calendar; compensatory days for holidays on a weekend — article numbers unverified:
// the Code is not among kyso's sources); callers add the days the
// Prime Minister's yearly decisions move. SolarToLunar and LunarToSolar implement Hồ
// Ngọc Đức's algorithm in Vietnam's time zone (UTC+7).
package calendar
