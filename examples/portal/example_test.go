package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/kyso-go/kyso/certstatus"
)

// Example starts a portal on 127.0.0.1 the way a test or an embedding program would
// and asks it to verify something that is not a PDF: the answer is a JSON error with
// a stable code and messages in Vietnamese and English.
func Example() {
	srv, err := NewServer(Config{
		StateKey: []byte("a key every replica shares, ≥ 32 bytes"),
		Trust:    certstatus.DefaultTrustStore(), // the VGCA root; add a province's test roots here
		Offline:  true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	resp, err := http.Post(ts.URL+"/api/verify", "application/pdf", strings.NewReader("hello"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var answer struct {
		Error struct {
			Code      string `json:"code"`
			MessageVI string `json:"message_vi"`
			MessageEN string `json:"message_en"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode, answer.Error.Code)
	fmt.Println(answer.Error.MessageVI)
	fmt.Println(answer.Error.MessageEN)
	// Output:
	// 400 not_pdf
	// Tệp gửi lên không phải tệp PDF đọc được
	// The file is not a readable PDF
}
