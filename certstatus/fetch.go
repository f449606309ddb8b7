package certstatus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"time"
)

// fetcher does the HTTP requests of a Checker or TSAClient: one timeout per request,
// a size limit on bodies, and typed errors.
type fetcher struct {
	client  *http.Client
	timeout time.Duration
	offline bool
}

func (f fetcher) httpClient() *http.Client {
	if f.client != nil {
		return f.client
	}
	return http.DefaultClient
}

// do sends req and returns at most max bytes of a 200 response body.
func (f fetcher) do(ctx context.Context, req *http.Request, max int64) ([]byte, error) {
	url := req.URL.String()
	if f.offline {
		return nil, &FetchError{URL: url, Err: ErrOffline}
	}
	parent := ctx
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	resp, err := f.httpClient().Do(req.WithContext(ctx))
	if err != nil {
		if cause := context.Cause(parent); cause != nil {
			return nil, &FetchError{URL: url, Err: cause} // the caller gave up
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &FetchError{URL: url, Err: fmt.Errorf("%w: no answer within %v", ErrUnreachable, f.timeout)}
		}
		// The URL is already named: keep only what went wrong.
		var ue *neturl.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &FetchError{URL: url, Err: fmt.Errorf("%w: %v", ErrUnreachable, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &FetchError{URL: url, StatusCode: resp.StatusCode, Err: ErrHTTPStatus}
	}
	if resp.ContentLength > max {
		return nil, &FetchError{URL: url, Err: fmt.Errorf("%w: %d bytes announced, limit %d", ErrTooLarge, resp.ContentLength, max)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, &FetchError{URL: url, Err: fmt.Errorf("%w: reading body: %v", ErrUnreachable, err)}
	}
	if int64(len(body)) > max {
		return nil, &FetchError{URL: url, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)}
	}
	return body, nil
}

func (f fetcher) get(ctx context.Context, url string, max int64) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, &FetchError{URL: url, Err: fmt.Errorf("%w: bad URL: %v", ErrUnreachable, err)}
	}
	return f.do(ctx, req, max)
}

func (f fetcher) post(ctx context.Context, url, contentType string, body []byte, max int64, setup func(*http.Request)) ([]byte, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, &FetchError{URL: url, Err: fmt.Errorf("%w: bad URL: %v", ErrUnreachable, err)}
	}
	req.Header.Set("Content-Type", contentType)
	if setup != nil {
		setup(req)
	}
	return f.do(ctx, req, max)
}
