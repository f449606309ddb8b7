package ctxtest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

type key struct{}

func TestDeadline(t *testing.T) {
	parent := context.WithValue(context.Background(), key{}, "v")
	ctx, expire := Deadline(parent)
	if ctx.Value(key{}) != "v" {
		t.Fatal("the parent's values are lost")
	}
	if d, ok := ctx.Deadline(); !ok || time.Until(d) < 50*time.Minute {
		t.Fatalf("deadline %v %v", d, ok)
	}
	child, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	if ctx.Err() != nil || child.Err() != nil {
		t.Fatal("done before expire")
	}
	expire()
	expire() // twice is harmless
	<-child.Done()
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) || !errors.Is(child.Err(), context.DeadlineExceeded) {
		t.Fatalf("err %v, child %v", ctx.Err(), child.Err())
	}
	if !errors.Is(context.Cause(child), context.DeadlineExceeded) {
		t.Fatalf("cause %v", context.Cause(child))
	}
}

// An HTTP request stalled on a server ends with context.DeadlineExceeded when the test
// makes the deadline pass.
func TestDeadlineEndsHTTPRequest(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, expire := Deadline(context.Background())
	go func() { <-arrived; expire() }()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
}
