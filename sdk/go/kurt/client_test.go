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

// adminClient uses the admin key itself: domains need the admin scope.
func adminClient(t *testing.T) *kurt.Client {
	t.Helper()
	address, adminKey := os.Getenv("KURT_GRPC"), os.Getenv("KURT_API_KEY")
	if address == "" || adminKey == "" {
		t.Skip(`needs KURT_GRPC and KURT_API_KEY: eval "$(./kurt env)"`)
	}
	c, err := kurt.New(address, adminKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
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

func TestDomainsHoldTheirOwnCodes(t *testing.T) {
	c, ctx := adminClient(t), context.Background()
	name := unique("sdkgo") + ".example.com"
	created, err := c.CreateDomain(ctx, &kurtv1.CreateDomainRequest{Domain: name, RootRedirect: proto.String("https://example.com/sdk/go/root")})
	if err != nil {
		t.Fatal(err)
	}
	if created.GetDomain() != name || created.GetRootRedirect() != "https://example.com/sdk/go/root" || created.GetIsDefault() {
		t.Fatalf("created %v", created)
	}
	listed, err := c.ListDomains(ctx)
	if err != nil || len(listed.GetDomains()) < 2 || !listed.GetDomains()[0].GetIsDefault() {
		t.Fatalf("list: %v %v", listed, err)
	}
	// On failure, leave nothing behind (errors ignored: on success both are gone already).
	code := unique("sdkgo")
	t.Cleanup(func() {
		_ = c.DeleteLink(ctx, code, kurt.InDomain(name))
		_, _ = c.DeleteDomain(ctx, name)
	})
	if _, err := c.CreateDomain(ctx, &kurtv1.CreateDomainRequest{Domain: name}); !kurt.IsCode(err, kurt.CodeAlreadyExists) {
		t.Fatalf("second create: %v", err)
	}

	// The same code in the default domain and in this one: two links.
	if _, err := c.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: "https://example.com/sdk/go/default", Code: proto.String(code)}); err != nil {
		t.Fatal(err)
	}
	link, err := c.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: "https://example.com/sdk/go/domain", Code: proto.String(code), Domain: proto.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if link.GetDomain() != name || link.GetShortUrl() == "" {
		t.Fatalf("created %v", link)
	}
	got, err := c.GetLink(ctx, code, kurt.InDomain(name))
	if err != nil || got.GetUrl() != "https://example.com/sdk/go/domain" {
		t.Fatalf("get in domain: %v %v", got, err)
	}
	if got, err := c.GetLink(ctx, code); err != nil || got.GetUrl() != "https://example.com/sdk/go/default" || got.GetDomain() == name {
		t.Fatalf("get in the default domain: %v %v", got, err)
	}
	page, err := c.ListLinks(ctx, 10, "", kurt.InDomain(name))
	if err != nil || len(page.GetLinks()) != 1 || page.GetLinks()[0].GetCode() != code {
		t.Fatalf("list in domain: %v %v", page, err)
	}
	// Resolvers learn a new domain within a few seconds; until then the name means the default domain.
	var resolved *kurtv1.ResolveResponse
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if resolved, err = c.ResolveWithoutClick(ctx, code, kurt.InDomain(name)); err != nil {
			t.Fatal(err)
		}
		if resolved.GetUrl() == "https://example.com/sdk/go/domain" || time.Now().After(deadline) {
			break
		}
	}
	if resolved.GetUrl() != "https://example.com/sdk/go/domain" {
		t.Fatalf("resolve in domain: %v", resolved)
	}
	stats, err := c.GetLinkStats(ctx, &kurtv1.GetLinkStatsRequest{Code: code, Domain: proto.String(name)})
	if err != nil || stats.GetCode() != code {
		t.Fatalf("stats in domain: %v %v", stats, err)
	}
	updated, err := c.UpdateDomain(ctx, &kurtv1.UpdateDomainRequest{Domain: name, RootRedirect: proto.String(""), NotFoundRedirect: proto.String("https://example.com/sdk/go/404")})
	if err != nil || updated.RootRedirect != nil || updated.GetNotFoundRedirect() != "https://example.com/sdk/go/404" {
		t.Fatalf("update: %v %v", updated, err)
	}

	// A domain that still holds a link cannot go; once the link is deleted it can.
	_, err = c.DeleteDomain(ctx, name)
	var kurtErr *kurt.Error
	if !errors.As(err, &kurtErr) || kurtErr.Code != kurt.CodeConflict {
		t.Fatalf("delete while it holds a link: %#v", err)
	}
	if err := c.DeleteLink(ctx, code, kurt.InDomain(name)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetLink(ctx, code); err != nil {
		t.Fatalf("the default domain's link went too: %v", err)
	}
	if deleted, err := c.DeleteDomain(ctx, name); err != nil || deleted.GetDomain() != name {
		t.Fatalf("delete: %v %v", deleted, err)
	}
}

func TestBatchVisitCapPasswordAndRules(t *testing.T) {
	c, ctx := client(t), context.Background()
	code := unique("sdkgobatch")
	url := "https://example.com/sdk/go/" + code
	answer, err := c.BatchCreateLinks(ctx, []*kurtv1.CreateLinkRequest{
		{Url: url, Code: proto.String(code), MaxVisits: proto.Int32(1),
			Rules: []*kurtv1.RedirectRule{{Device: proto.String("ios"), Url: "https://apps.apple.com/x"}}},
		{Url: "ftp://example.com/x"},
		{Url: "https://example.com/sdk/go/locked", Password: proto.String("go-secret")},
	})
	if err != nil {
		t.Fatal(err)
	}
	results := answer.GetResults()
	if len(results) != 3 || results[0].GetLink() == nil || results[1].GetError() == nil || results[2].GetLink() == nil {
		t.Fatalf("results: %v", results)
	}
	if got := results[1].GetError().GetCode(); got != 3 {
		t.Fatalf("bad item's code: %d", got)
	}
	capped, locked := results[0].GetLink(), results[2].GetLink()
	if capped.GetMaxVisits() != 1 || len(capped.GetRules()) != 1 || !locked.GetPasswordProtected() {
		t.Fatalf("links: %v / %v", capped, locked)
	}
	// A counted resolve takes the one visit; the next finds none left.
	if resolved, err := c.Resolve(ctx, code); err != nil || resolved.GetUrl() != url {
		t.Fatalf("first resolve: %v %v", resolved, err)
	}
	var kurtErr *kurt.Error
	if _, err := c.Resolve(ctx, code); !errors.As(err, &kurtErr) || kurtErr.Code != kurt.CodeGone {
		t.Fatalf("second resolve: %#v", err)
	}
	if _, err := c.Resolve(ctx, locked.GetCode()); !errors.As(err, &kurtErr) || kurtErr.Code != kurt.CodePermissionDenied {
		t.Fatalf("password link: %#v", err)
	}
	cleared, err := c.UpdateLink(ctx, &kurtv1.UpdateLinkRequest{Code: code, ClearMaxVisits: true, Rules: kurt.Rules()})
	if err != nil {
		t.Fatal(err)
	}
	if cleared.MaxVisits != nil || len(cleared.GetRules()) != 0 || cleared.GetVisits() != 1 {
		t.Fatalf("cleared: %v", cleared)
	}
}
