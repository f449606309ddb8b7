// Package calendar decides working days in Vietnamese state bodies and converts
// between the Gregorian and the Vietnamese lunisolar calendar (âm lịch). It is shared
// by forms (report deadlines on its forms) and policy (the deadlines of a province
// profile): a deadline is computed in one place.
//
// Calendar applies Bộ luật Lao động 2019 Điều 112 khoản 1 (public holidays, Tết by the
// lunar calendar) and Điều 111 khoản 3 (a holiday on a weekly day off is compensated
// the next working day) — both locators checked on the web, see Calendar; callers add
// the days the Prime Minister's yearly decisions move. SolarToLunar and LunarToSolar
// implement Hồ Ngọc Đức's algorithm in Vietnam's time zone (UTC+7).
package calendar
