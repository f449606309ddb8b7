/*
 * pkcs11shim: a PKCS#11 pass-through module for kyso's token tests.
 *
 * It forwards every call to the module named by KYSO_SHIM_TARGET (SoftHSM2) and adds
 * what SoftHSM2 lacks but real USB tokens do:
 *   - a user-PIN retry counter: after KYSO_SHIM_MAX_TRIES (default 3) wrong PINs the PIN
 *     is locked (CKR_PIN_LOCKED); CK_TOKEN_INFO reports CKF_USER_PIN_COUNT_LOW after a
 *     wrong PIN, CKF_USER_PIN_FINAL_TRY when one try is left, CKF_USER_PIN_LOCKED;
 *   - states switched at run time through the file KYSO_SHIM_CONTROL, which may hold the
 *     words "removed" (the token is unplugged: no token in the slot, calls on sessions
 *     fail with CKR_DEVICE_REMOVED), "expired" (CKF_USER_PIN_TO_BE_CHANGED) and "pinpad"
 *     (CKF_PROTECTED_AUTHENTICATION_PATH; a login without PIN uses KYSO_SHIM_PAD_PIN,
 *     as if typed on the device), "max2" (the token allows 2 sessions: ulMaxSessionCount
 *     is 2 and a third C_OpenSession fails with CKR_SESSION_COUNT).
 * Built by the tests with gcc; never shipped.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CK_PTR *
#define CK_DECLARE_FUNCTION(returnType, name) returnType name
#define CK_DECLARE_FUNCTION_POINTER(returnType, name) returnType(*name)
#define CK_CALLBACK_FUNCTION(returnType, name) returnType(*name)
#ifndef NULL_PTR
#define NULL_PTR 0
#endif
#include "pkcs11.h"

static CK_FUNCTION_LIST_PTR real;
static CK_FUNCTION_LIST shim;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int fails, locked, sessions;

static int max_tries(void) {
	const char *s = getenv("KYSO_SHIM_MAX_TRIES");
	int n = s ? atoi(s) : 3;
	return n > 0 ? n : 3;
}

static int control(const char *word) {
	const char *path = getenv("KYSO_SHIM_CONTROL");
	char buf[256];
	size_t n;
	FILE *f;
	if (!path || !(f = fopen(path, "r"))) return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, word) != NULL;
}

static CK_RV shim_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
	if (present && control("removed")) {
		if (!count) return CKR_ARGUMENTS_BAD;
		*count = 0;
		return CKR_OK;
	}
	return real->C_GetSlotList(present, list, count);
}

static CK_RV shim_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info) {
	CK_RV rv = real->C_GetSlotInfo(slot, info);
	if (rv == CKR_OK && control("removed")) info->flags &= ~(CK_FLAGS)CKF_TOKEN_PRESENT;
	return rv;
}

static CK_RV shim_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
	CK_RV rv;
	if (control("removed")) return CKR_TOKEN_NOT_PRESENT;
	rv = real->C_GetTokenInfo(slot, info);
	if (rv != CKR_OK) return rv;
	pthread_mutex_lock(&mu);
	info->flags &= ~(CK_FLAGS)(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED | CKF_USER_PIN_TO_BE_CHANGED);
	if (fails > 0) info->flags |= CKF_USER_PIN_COUNT_LOW;
	if (!locked && fails == max_tries() - 1) info->flags |= CKF_USER_PIN_FINAL_TRY;
	if (locked) info->flags |= CKF_USER_PIN_LOCKED;
	pthread_mutex_unlock(&mu);
	if (control("expired")) info->flags |= CKF_USER_PIN_TO_BE_CHANGED;
	if (control("pinpad")) info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
	if (control("max2")) info->ulMaxSessionCount = 2;
	return CKR_OK;
}

static CK_RV shim_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR s) {
	CK_RV rv;
	if (control("removed")) return CKR_TOKEN_NOT_PRESENT;
	pthread_mutex_lock(&mu);
	if (control("max2") && sessions >= 2) {
		pthread_mutex_unlock(&mu);
		return CKR_SESSION_COUNT;
	}
	rv = real->C_OpenSession(slot, flags, app, notify, s);
	if (rv == CKR_OK) sessions++;
	pthread_mutex_unlock(&mu);
	return rv;
}

static CK_RV shim_CloseSession(CK_SESSION_HANDLE s) {
	CK_RV rv = real->C_CloseSession(s);
	pthread_mutex_lock(&mu);
	if (rv == CKR_OK && sessions > 0) sessions--;
	pthread_mutex_unlock(&mu);
	return rv;
}

static CK_RV shim_CloseAllSessions(CK_SLOT_ID slot) {
	CK_RV rv = real->C_CloseAllSessions(slot);
	pthread_mutex_lock(&mu);
	if (rv == CKR_OK) sessions = 0;
	pthread_mutex_unlock(&mu);
	return rv;
}

static CK_RV shim_Login(CK_SESSION_HANDLE s, CK_USER_TYPE type, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
	CK_RV rv;
	if (control("removed")) return CKR_DEVICE_REMOVED;
	if (type != CKU_USER) return real->C_Login(s, type, pin, len);
	pthread_mutex_lock(&mu);
	if (locked) {
		pthread_mutex_unlock(&mu);
		return CKR_PIN_LOCKED;
	}
	if (control("pinpad") && (pin == NULL || len == 0)) {
		const char *pad = getenv("KYSO_SHIM_PAD_PIN");
		pin = (CK_UTF8CHAR_PTR)(pad ? pad : "");
		len = pad ? strlen(pad) : 0;
	}
	rv = real->C_Login(s, type, pin, len);
	if (rv == CKR_PIN_INCORRECT) {
		if (++fails >= max_tries()) locked = 1; /* this wrong PIN was the last one */
	} else if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
		fails = 0;
	}
	pthread_mutex_unlock(&mu);
	return rv;
}

static CK_RV shim_GetSessionInfo(CK_SESSION_HANDLE s, CK_SESSION_INFO_PTR info) {
	if (control("removed")) return CKR_DEVICE_REMOVED;
	return real->C_GetSessionInfo(s, info);
}

static CK_RV shim_FindObjectsInit(CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
	if (control("removed")) return CKR_DEVICE_REMOVED;
	return real->C_FindObjectsInit(s, t, n);
}

static CK_RV shim_SignInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
	if (control("removed")) return CKR_DEVICE_REMOVED;
	return real->C_SignInit(s, m, k);
}

static CK_RV shim_Sign(CK_SESSION_HANDLE s, CK_BYTE_PTR d, CK_ULONG n, CK_BYTE_PTR sig, CK_ULONG_PTR sn) {
	if (control("removed")) return CKR_DEVICE_REMOVED;
	return real->C_Sign(s, d, n, sig, sn);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR pp) {
	if (!pp) return CKR_ARGUMENTS_BAD;
	if (!real) {
		const char *target = getenv("KYSO_SHIM_TARGET");
		void *h;
		CK_C_GetFunctionList get;
		CK_RV rv;
		if (!target || !(h = dlopen(target, RTLD_NOW | RTLD_LOCAL))) return CKR_GENERAL_ERROR;
		get = (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList");
		if (!get) return CKR_GENERAL_ERROR;
		rv = get(&real);
		if (rv != CKR_OK) return rv;
		shim = *real;
		shim.C_GetSlotList = shim_GetSlotList;
		shim.C_GetSlotInfo = shim_GetSlotInfo;
		shim.C_GetTokenInfo = shim_GetTokenInfo;
		shim.C_OpenSession = shim_OpenSession;
		shim.C_CloseSession = shim_CloseSession;
		shim.C_CloseAllSessions = shim_CloseAllSessions;
		shim.C_Login = shim_Login;
		shim.C_GetSessionInfo = shim_GetSessionInfo;
		shim.C_FindObjectsInit = shim_FindObjectsInit;
		shim.C_SignInit = shim_SignInit;
		shim.C_Sign = shim_Sign;
	}
	*pp = &shim;
	return CKR_OK;
}
