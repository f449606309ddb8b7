package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 12 item 7: the demo's request letter is NĐ 68/2024 Mẫu số 01, in the current
// term "chứng thư chữ ký số chuyên dùng công vụ".
func TestDemoLetterIsND68Form(t *testing.T) {
	demoNeedTools(t, "pdftotext")
	l, err := demoRenderLetter("Nguyễn Văn Thắng", time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, "nd68/mau-01", demoFormID)
	assert.Contains(t, l.Title, "chứng thư chữ ký số chuyên dùng công vụ")
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(l.PDF)
	out, err := cmd.Output()
	require.NoError(t, err)
	text := strings.Join(strings.Fields(string(out)), " ")
	assert.Contains(t, text, "chứng thư chữ ký số chuyên dùng công vụ")
}
