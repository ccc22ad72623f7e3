package kurt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	kurtv1 "kurt.local/sdk/go/gen/kurt/v1"
	"kurt.local/sdk/go/kurt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The Go SDK against the running stack, through Envoy's internal gRPC
// listener. KURT_GRPC and KURT_API_KEY (an admin key) come from
// `eval "$(./kurt env)"`, which sdk/go/test.sh does.

func unique(prefix string) string {
	return fmt.Sprintf("%s-%d%06d", prefix, time.Now().UnixMilli(), rand.IntN(1_000_000))
}

func client(t *testing.T) *kurt.Client {
	t.Helper()
	address, adminKey := os.Getenv("KURT_GRPC"), os.Getenv("KURT_API_KEY")
	if address == "" || adminKey == "" {
		t.Skip(`needs KURT_GRPC and KURT_API_KEY: eval "$(./kurt env)"`)
	}
	admin, err := kurt.New(address, adminKey)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	key, err := admin.CreateApiKey(context.Background(), unique("sdk-go"), []string{"links:write", "links:read", "stats:read"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := kurt.New(address, key.Secret)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestCreateResolveAndStats(t *testing.T) {
	c, ctx := client(t), context.Background()
	code := unique("sdkgo")
	url := "https://example.com/sdk/go/" + code
	link, err := c.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: url, Code: proto.String(code), RedirectStatus: proto.Int32(301), Tags: []string{"sdk"}})
	if err != nil {
		t.Fatal(err)
	}
	if link.GetCode() != code || link.GetUrl() != url || link.GetRedirectStatus() != 301 {
		t.Fatalf("created %v", link)
	}
	resolved, err := c.Resolve(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if resolved.GetUrl() != url || resolved.GetRedirectStatus() != 301 {
		t.Fatalf("resolved %v", resolved)
	}
	now := time.Now()
	request := &kurtv1.GetLinkStatsRequest{Code: code, From: timestamppb.New(now.Add(-time.Hour)), To: timestamppb.New(now.Add(time.Hour)), Interval: kurtv1.StatsInterval_HOUR}
	var stats *kurtv1.Stats
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if stats, err = c.GetLinkStats(ctx, request); err != nil {
			t.Fatal(err)
		}
		if stats.GetTotal() >= 1 || time.Now().After(deadline) {
			break
		}
	}
	sum := uint32(0)
	for _, point := range stats.GetSeries() {
		sum += point.GetClicks()
	}
	if stats.GetTotal() != 1 || sum != 1 {
		t.Fatalf("stats total %d, series sum %d; want 1 and 1", stats.GetTotal(), sum)
	}
}

func TestUpdateListDelete(t *testing.T) {
	c, ctx := client(t), context.Background()
	code := unique("sdkgo")
	if _, err := c.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: "https://example.com/sdk/go/before", Code: proto.String(code), Tags: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	updated, err := c.UpdateLink(ctx, &kurtv1.UpdateLinkRequest{Code: code, Url: proto.String("https://example.com/sdk/go/after"), Disabled: proto.Bool(true), Tags: &structpb.ListValue{}})
	if err != nil {
		t.Fatal(err)
	}
	if updated.GetUrl() != "https://example.com/sdk/go/after" || !updated.GetDisabled() || len(updated.GetTags()) != 0 {
		t.Fatalf("updated %v", updated)
	}
	page, err := c.ListLinks(ctx, 5, "")
	if err != nil || len(page.GetLinks()) < 1 || len(page.GetLinks()) > 5 {
		t.Fatalf("list: %v %v", page, err)
	}
	if err := c.DeleteLink(ctx, code); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetLink(ctx, code); !kurt.IsCode(err, kurt.CodeNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestConflictIsAlreadyExists(t *testing.T) {
	c, ctx := client(t), context.Background()
	code := unique("sdkgo")
	if _, err := c.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: "https://example.com/sdk/go/first", Code: proto.String(code)}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: "https://example.com/sdk/go/second", Code: proto.String(code)})
	var kurtErr *kurt.Error
	if !errors.As(err, &kurtErr) || kurtErr.Code != kurt.CodeAlreadyExists || kurtErr.Field != "code" {
		t.Fatalf("second create: %#v", err)
	}
}

func TestQrCodeIsAnImageOfTheShortURL(t *testing.T) {
	c, ctx := client(t), context.Background()
	link, err := c.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: "https://example.com/sdk/go/qr"})
	if err != nil {
		t.Fatal(err)
	}
	png, err := c.GetLinkQrCode(ctx, link.GetCode(), "png", 128)
	if err != nil || png.GetContentType() != "image/png" || !bytes.HasPrefix(png.GetData(), []byte("\x89PNG")) {
		t.Fatalf("png: %v %q", err, png.GetContentType())
	}
	svg, err := c.GetLinkQrCode(ctx, link.GetCode(), "", 0)
	if err != nil || svg.GetContentType() != "image/svg+xml" || !bytes.HasPrefix(svg.GetData(), []byte("<svg ")) {
		t.Fatalf("svg: %v %q", err, svg.GetContentType())
	}
	_, err = c.GetLinkQrCode(ctx, link.GetCode(), "gif", 0)
	var kurtErr *kurt.Error
	if !errors.As(err, &kurtErr) || kurtErr.Code != kurt.CodeInvalidArgument || kurtErr.Field != "format" {
		t.Fatalf("gif: %#v", err)
	}
}

func TestBadURLIsInvalidArgument(t *testing.T) {
	c := client(t)
	_, err := c.CreateLink(context.Background(), &kurtv1.CreateLinkRequest{Url: "javascript:alert(1)"})
	var kurtErr *kurt.Error
	if !errors.As(err, &kurtErr) || kurtErr.Code != kurt.CodeInvalidArgument || kurtErr.Field != "url" {
		t.Fatalf("bad URL: %#v", err)
	}
}

func TestNothingListeningIsUnavailableWithinTheDeadline(t *testing.T) {
	c, err := kurt.New("127.0.0.1:1", "", kurt.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	started := time.Now()
	_, err = c.GetLink(context.Background(), "x")
	if !kurt.IsCode(err, kurt.CodeUnavailable) || time.Since(started) > 2500*time.Millisecond {
		t.Fatalf("after %v: %v", time.Since(started), err)
	}
}
