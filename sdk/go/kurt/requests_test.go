package kurt_test

import (
	"context"
	"errors"
	"net"
	"reflect"
	"sync"
	"testing"
	"time"

	kurtv1 "kurt.local/sdk/go/gen/kurt/v1"
	"kurt.local/sdk/go/kurt"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// The client against an in-process gRPC server that records what it is
// sent: what each call puts in its request is under test, not Kurt. These
// tests need no stack.

type recorder struct {
	mu       sync.Mutex
	requests map[string][]proto.Message
	// Errors to answer next, per method, in order.
	failures map[string][]error
}

func (r *recorder) record(method string, request proto.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests[method] = append(r.requests[method], request)
	if queue := r.failures[method]; len(queue) > 0 {
		r.failures[method] = queue[1:]
		return queue[0]
	}
	return nil
}

func (r *recorder) last(t *testing.T, method string) proto.Message {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	requests := r.requests[method]
	if len(requests) == 0 {
		t.Fatalf("%s was not called", method)
	}
	return requests[len(requests)-1]
}

func (r *recorder) count(method string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.requests[method])
}

var domain = &kurtv1.Domain{Domain: "go.example.com", RootRedirect: proto.String("https://example.com/")}

type links struct {
	kurtv1.UnimplementedLinkServiceServer
	*recorder
}

func (s links) CreateLink(_ context.Context, in *kurtv1.CreateLinkRequest) (*kurtv1.Link, error) {
	return &kurtv1.Link{Code: in.GetCode(), Domain: in.GetDomain()}, s.record("CreateLink", in)
}

// BatchCreateLinks answers each item in order: ALREADY_EXISTS for the code "taken", else the link.
func (s links) BatchCreateLinks(_ context.Context, in *kurtv1.BatchCreateLinksRequest) (*kurtv1.BatchCreateLinksResponse, error) {
	results := make([]*kurtv1.BatchCreateLinkResult, 0, len(in.GetLinks()))
	for _, item := range in.GetLinks() {
		if item.GetCode() == "taken" {
			results = append(results, &kurtv1.BatchCreateLinkResult{Result: &kurtv1.BatchCreateLinkResult_Error{
				Error: &kurtv1.BatchCreateLinkError{Code: int32(codes.AlreadyExists), Message: `code: "taken" is already taken`},
			}})
			continue
		}
		results = append(results, &kurtv1.BatchCreateLinkResult{Result: &kurtv1.BatchCreateLinkResult_Link{
			Link: &kurtv1.Link{Code: item.GetCode(), Url: item.GetUrl(), MaxVisits: item.MaxVisits},
		}})
	}
	return &kurtv1.BatchCreateLinksResponse{Results: results}, s.record("BatchCreateLinks", in)
}
func (s links) GetLink(_ context.Context, in *kurtv1.GetLinkRequest) (*kurtv1.Link, error) {
	return &kurtv1.Link{Code: in.GetCode(), Domain: in.GetDomain()}, s.record("GetLink", in)
}
func (s links) ListLinks(_ context.Context, in *kurtv1.ListLinksRequest) (*kurtv1.ListLinksResponse, error) {
	return &kurtv1.ListLinksResponse{}, s.record("ListLinks", in)
}
func (s links) UpdateLink(_ context.Context, in *kurtv1.UpdateLinkRequest) (*kurtv1.Link, error) {
	return &kurtv1.Link{Code: in.GetCode()}, s.record("UpdateLink", in)
}
func (s links) DeleteLink(_ context.Context, in *kurtv1.DeleteLinkRequest) (*kurtv1.DeleteLinkResponse, error) {
	return &kurtv1.DeleteLinkResponse{}, s.record("DeleteLink", in)
}
func (s links) GetLinkQrCode(_ context.Context, in *kurtv1.GetLinkQrCodeRequest) (*httpbody.HttpBody, error) {
	return &httpbody.HttpBody{ContentType: "image/svg+xml", Data: []byte("<svg />")}, s.record("GetLinkQrCode", in)
}

type resolver struct {
	kurtv1.UnimplementedResolverServiceServer
	*recorder
}

func (s resolver) Resolve(_ context.Context, in *kurtv1.ResolveRequest) (*kurtv1.ResolveResponse, error) {
	return &kurtv1.ResolveResponse{Url: "https://example.com/", RedirectStatus: 302}, s.record("Resolve", in)
}

type stats struct {
	kurtv1.UnimplementedStatsServiceServer
	*recorder
}

func (s stats) GetLinkStats(_ context.Context, in *kurtv1.GetLinkStatsRequest) (*kurtv1.Stats, error) {
	return &kurtv1.Stats{Code: in.GetCode(), Domain: in.GetDomain()}, s.record("GetLinkStats", in)
}

type domains struct {
	kurtv1.UnimplementedDomainServiceServer
	*recorder
}

func (s domains) CreateDomain(_ context.Context, in *kurtv1.CreateDomainRequest) (*kurtv1.Domain, error) {
	return domain, s.record("CreateDomain", in)
}
func (s domains) ListDomains(_ context.Context, in *kurtv1.ListDomainsRequest) (*kurtv1.ListDomainsResponse, error) {
	return &kurtv1.ListDomainsResponse{Domains: []*kurtv1.Domain{domain}}, s.record("ListDomains", in)
}
func (s domains) UpdateDomain(_ context.Context, in *kurtv1.UpdateDomainRequest) (*kurtv1.Domain, error) {
	return domain, s.record("UpdateDomain", in)
}
func (s domains) DeleteDomain(_ context.Context, in *kurtv1.DeleteDomainRequest) (*kurtv1.Domain, error) {
	if err := s.record("DeleteDomain", in); err != nil {
		return nil, err
	}
	return domain, nil
}

// fakeKurt serves every service but API keys from a recorder, on loopback.
func fakeKurt(t *testing.T) (*kurt.Client, *recorder) {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{requests: map[string][]proto.Message{}, failures: map[string][]error{}}
	server := grpc.NewServer()
	kurtv1.RegisterLinkServiceServer(server, links{recorder: r})
	kurtv1.RegisterResolverServiceServer(server, resolver{recorder: r})
	kurtv1.RegisterStatsServiceServer(server, stats{recorder: r})
	kurtv1.RegisterDomainServiceServer(server, domains{recorder: r})
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)
	c, err := kurt.New(listener.Addr().String(), "kurt_test", kurt.WithRetries(4, time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, r
}

func TestInDomainReachesEveryLinkCallStatsAndResolve(t *testing.T) {
	c, r := fakeKurt(t)
	ctx, in := context.Background(), kurt.InDomain("go.example.com")
	mustNot := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: "https://example.com/", Domain: proto.String("go.example.com")})
	mustNot(err)
	_, err = c.GetLink(ctx, "launch", in)
	mustNot(err)
	_, err = c.ListLinks(ctx, 5, "", in)
	mustNot(err)
	_, err = c.UpdateLink(ctx, &kurtv1.UpdateLinkRequest{Code: "launch", Domain: proto.String("go.example.com"), Disabled: proto.Bool(true)})
	mustNot(err)
	mustNot(c.DeleteLink(ctx, "launch", in))
	_, err = c.GetLinkQrCode(ctx, "launch", "", 0, in)
	mustNot(err)
	_, err = c.GetLinkStats(ctx, &kurtv1.GetLinkStatsRequest{Code: "launch", Domain: proto.String("go.example.com")})
	mustNot(err)
	_, err = c.Resolve(ctx, "launch", in)
	mustNot(err)
	_, err = c.ResolveWithoutClick(ctx, "launch", in)
	mustNot(err)
	for _, method := range []string{"CreateLink", "GetLink", "ListLinks", "UpdateLink", "DeleteLink", "GetLinkQrCode", "GetLinkStats", "Resolve"} {
		withDomain, ok := r.last(t, method).(interface{ GetDomain() string })
		if !ok || withDomain.GetDomain() != "go.example.com" {
			t.Errorf("%s: domain not sent: %v", method, r.last(t, method))
		}
	}
	if r.count("Resolve") != 2 {
		t.Errorf("Resolve called %d times", r.count("Resolve"))
	}
}

func TestWithoutInDomainNoDomainIsSent(t *testing.T) {
	c, r := fakeKurt(t)
	ctx := context.Background()
	if _, err := c.GetLink(ctx, "launch"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListLinks(ctx, 0, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Resolve(ctx, "launch"); err != nil {
		t.Fatal(err)
	}
	if r.last(t, "GetLink").(*kurtv1.GetLinkRequest).Domain != nil ||
		r.last(t, "ListLinks").(*kurtv1.ListLinksRequest).Domain != nil ||
		r.last(t, "Resolve").(*kurtv1.ResolveRequest).Domain != nil {
		t.Fatal("a domain was sent")
	}
}

func TestMatchingAndTaggedFilterListLinks(t *testing.T) {
	c, r := fakeKurt(t)
	ctx := context.Background()
	if _, err := c.ListLinks(ctx, 10, "", kurt.Matching("Launch"), kurt.Tagged("news"), kurt.InDomain("go.example.com")); err != nil {
		t.Fatal(err)
	}
	sent := r.last(t, "ListLinks").(*kurtv1.ListLinksRequest)
	if sent.Query == nil || sent.GetQuery() != "Launch" || sent.Tag == nil || sent.GetTag() != "news" || sent.GetDomain() != "go.example.com" || sent.GetPageSize() != 10 {
		t.Fatalf("sent %v", sent)
	}
	if _, err := c.ListLinks(ctx, 0, ""); err != nil {
		t.Fatal(err)
	}
	if sent := r.last(t, "ListLinks").(*kurtv1.ListLinksRequest); sent.Query != nil || sent.Tag != nil {
		t.Fatalf("a filter was sent: %v", sent)
	}
}

func TestDomainCalls(t *testing.T) {
	c, r := fakeKurt(t)
	ctx := context.Background()
	created, err := c.CreateDomain(ctx, &kurtv1.CreateDomainRequest{Domain: "go.example.com", RootRedirect: proto.String("https://example.com/")})
	if err != nil || created.GetDomain() != "go.example.com" {
		t.Fatalf("create: %v %v", created, err)
	}
	listed, err := c.ListDomains(ctx)
	if err != nil || len(listed.GetDomains()) != 1 {
		t.Fatalf("list: %v %v", listed, err)
	}
	if _, err := c.UpdateDomain(ctx, &kurtv1.UpdateDomainRequest{Domain: "go.example.com", RootRedirect: proto.String("")}); err != nil {
		t.Fatal(err)
	}
	// "" is sent, not dropped: it removes the redirect.
	if update := r.last(t, "UpdateDomain").(*kurtv1.UpdateDomainRequest); update.RootRedirect == nil || *update.RootRedirect != "" || update.NotFoundRedirect != nil {
		t.Fatalf("update sent %v", update)
	}
	deleted, err := c.DeleteDomain(ctx, "go.example.com")
	if err != nil || deleted.GetDomain() != "go.example.com" || r.last(t, "DeleteDomain").(*kurtv1.DeleteDomainRequest).GetDomain() != "go.example.com" {
		t.Fatalf("delete: %v %v", deleted, err)
	}
}

func TestListDomainsIsRetriedDomainWritesAreNot(t *testing.T) {
	c, r := fakeKurt(t)
	ctx := context.Background()
	r.failures["ListDomains"] = []error{status.Error(codes.Unavailable, "no healthy upstream")}
	if _, err := c.ListDomains(ctx); err != nil || r.count("ListDomains") != 2 {
		t.Fatalf("list: %v after %d calls", err, r.count("ListDomains"))
	}
	r.failures["CreateDomain"] = []error{status.Error(codes.Unavailable, "no healthy upstream")}
	if _, err := c.CreateDomain(ctx, &kurtv1.CreateDomainRequest{Domain: "go.example.com"}); !kurt.IsCode(err, kurt.CodeUnavailable) || r.count("CreateDomain") != 1 {
		t.Fatalf("create: %v after %d calls", err, r.count("CreateDomain"))
	}
}

func TestADomainThatHoldsLinksIsAConflict(t *testing.T) {
	c, r := fakeKurt(t)
	// Without Kurt's trailer (the trailer's path is in errors_test.go): ABORTED alone means conflict.
	r.failures["DeleteDomain"] = []error{status.Error(codes.Aborted, "domain: go.example.com still holds links")}
	_, err := c.DeleteDomain(context.Background(), "go.example.com")
	var kurtErr *kurt.Error
	if !errors.As(err, &kurtErr) || kurtErr.Code != kurt.CodeConflict || kurtErr.Status != codes.Aborted || r.count("DeleteDomain") != 1 {
		t.Fatalf("%#v", err)
	}
}

func TestCreateLinkSendsTheCapThePasswordAndTheRulesInOrder(t *testing.T) {
	c, r := fakeKurt(t)
	rules := []*kurtv1.RedirectRule{
		{Device: proto.String("ios"), Url: "https://apps.apple.com/app/id0"},
		{Country: proto.String("DE"), Language: proto.String("de"), Url: "https://example.com/de"},
		{Query: &kurtv1.RedirectRuleQuery{Name: "ref", Value: proto.String("mail")}, Url: "https://example.com/mail"},
	}
	request := &kurtv1.CreateLinkRequest{Url: "https://example.com/", MaxVisits: proto.Int32(100), Password: proto.String("open sesame"), Rules: rules}
	if _, err := c.CreateLink(context.Background(), request); err != nil {
		t.Fatal(err)
	}
	sent := r.last(t, "CreateLink").(*kurtv1.CreateLinkRequest)
	if sent.MaxVisits == nil || sent.GetMaxVisits() != 100 || sent.Password == nil || sent.GetPassword() != "open sesame" {
		t.Fatalf("cap or password not sent: %v", sent)
	}
	if len(sent.GetRules()) != len(rules) {
		t.Fatalf("rules sent: %v", sent.GetRules())
	}
	for i, rule := range rules {
		if !proto.Equal(sent.GetRules()[i], rule) {
			t.Errorf("rule %d: sent %v, want %v", i, sent.GetRules()[i], rule)
		}
	}
	// A condition not given stays unset, not "".
	if first := sent.GetRules()[0]; first.Country != nil || first.Language != nil || first.Query != nil {
		t.Errorf("unset conditions sent: %v", first)
	}
}

func TestRulesAreTheListOfPlainRuleObjectsUpdateLinkTakes(t *testing.T) {
	got := kurt.Rules(
		&kurtv1.RedirectRule{Device: proto.String("android"), Url: "https://play.google.com/store/apps/details?id=kurt"},
		&kurtv1.RedirectRule{Query: &kurtv1.RedirectRuleQuery{Name: "beta"}, Language: proto.String("en"), Url: "https://example.com/beta"},
		&kurtv1.RedirectRule{Query: &kurtv1.RedirectRuleQuery{Name: "utm_source", Value: proto.String("")}, Country: proto.String("FR"), Url: "https://example.com/fr"},
	).AsSlice()
	want := []any{
		map[string]any{"device": "android", "url": "https://play.google.com/store/apps/details?id=kurt"},
		map[string]any{"query": map[string]any{"name": "beta"}, "language": "en", "url": "https://example.com/beta"},
		// An empty value is a condition of its own (the parameter present and empty): kept.
		map[string]any{"query": map[string]any{"name": "utm_source", "value": ""}, "country": "FR", "url": "https://example.com/fr"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
	if none := kurt.Rules(); none == nil || len(none.GetValues()) != 0 {
		t.Fatalf("Rules() is %v, want an empty list (which removes every rule)", none)
	}
}

func TestUpdateLinkSendsTheCapThePasswordAndTheRules(t *testing.T) {
	c, r := fakeKurt(t)
	ctx := context.Background()
	rule := &kurtv1.RedirectRule{Device: proto.String("desktop"), Url: "https://example.com/desktop"}
	if _, err := c.UpdateLink(ctx, &kurtv1.UpdateLinkRequest{Code: "launch", MaxVisits: proto.Int32(10), Password: proto.String("new secret"), Rules: kurt.Rules(rule)}); err != nil {
		t.Fatal(err)
	}
	sent := r.last(t, "UpdateLink").(*kurtv1.UpdateLinkRequest)
	if sent.GetMaxVisits() != 10 || sent.GetClearMaxVisits() || sent.GetPassword() != "new secret" {
		t.Fatalf("sent %v", sent)
	}
	if rules := sent.GetRules().AsSlice(); !reflect.DeepEqual(rules, []any{map[string]any{"device": "desktop", "url": "https://example.com/desktop"}}) {
		t.Fatalf("rules sent: %#v", rules)
	}

	// Removing: ClearMaxVisits, Password "" and an empty list are sent, not dropped.
	if _, err := c.UpdateLink(ctx, &kurtv1.UpdateLinkRequest{Code: "launch", ClearMaxVisits: true, Password: proto.String(""), Rules: kurt.Rules()}); err != nil {
		t.Fatal(err)
	}
	sent = r.last(t, "UpdateLink").(*kurtv1.UpdateLinkRequest)
	if !sent.GetClearMaxVisits() || sent.MaxVisits != nil || sent.Password == nil || sent.GetPassword() != "" || sent.Rules == nil || len(sent.GetRules().GetValues()) != 0 {
		t.Fatalf("sent %v", sent)
	}

	// Not given: unchanged, so absent.
	if _, err := c.UpdateLink(ctx, &kurtv1.UpdateLinkRequest{Code: "launch", Disabled: proto.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	sent = r.last(t, "UpdateLink").(*kurtv1.UpdateLinkRequest)
	if sent.MaxVisits != nil || sent.GetClearMaxVisits() || sent.Password != nil || sent.Rules != nil {
		t.Fatalf("sent %v", sent)
	}
}

func TestBatchCreateLinksSendsEveryItemInOrderAndAnswersOneResultEach(t *testing.T) {
	c, r := fakeKurt(t)
	items := []*kurtv1.CreateLinkRequest{
		{Url: "https://example.com/1", Code: proto.String("one")},
		{Url: "https://example.com/2", Code: proto.String("taken")},
		{Url: "https://example.com/3", Code: proto.String("three"), MaxVisits: proto.Int32(5), Domain: proto.String("go.example.com")},
	}
	answer, err := c.BatchCreateLinks(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	sent := r.last(t, "BatchCreateLinks").(*kurtv1.BatchCreateLinksRequest).GetLinks()
	if len(sent) != len(items) {
		t.Fatalf("sent %d items, want %d", len(sent), len(items))
	}
	for i, item := range items {
		if !proto.Equal(sent[i], item) {
			t.Errorf("item %d: sent %v, want %v", i, sent[i], item)
		}
	}
	results := answer.GetResults()
	if len(results) != 3 {
		t.Fatalf("results: %v", results)
	}
	if results[0].GetLink().GetCode() != "one" || results[0].GetError() != nil {
		t.Errorf("result 0: %v", results[0])
	}
	if failed := results[1].GetError(); results[1].GetLink() != nil || failed.GetCode() != int32(codes.AlreadyExists) || failed.GetMessage() != `code: "taken" is already taken` {
		t.Errorf("result 1: %v", results[1])
	}
	if results[2].GetLink().GetCode() != "three" || results[2].GetLink().GetMaxVisits() != 5 {
		t.Errorf("result 2: %v", results[2])
	}
}

func TestBatchCreateLinksIsNeverRetried(t *testing.T) {
	c, r := fakeKurt(t)
	r.failures["BatchCreateLinks"] = []error{status.Error(codes.Unavailable, "no healthy upstream")}
	_, err := c.BatchCreateLinks(context.Background(), []*kurtv1.CreateLinkRequest{{Url: "https://example.com/"}})
	if !kurt.IsCode(err, kurt.CodeUnavailable) || r.count("BatchCreateLinks") != 1 {
		t.Fatalf("%v after %d calls", err, r.count("BatchCreateLinks"))
	}
}

// Every RPC of the services the SDK wraps is a method of *kurt.Client of the same name.
func TestTheClientCoversEveryRPC(t *testing.T) {
	client := reflect.TypeOf(&kurt.Client{})
	for _, service := range []grpc.ServiceDesc{
		kurtv1.LinkService_ServiceDesc, kurtv1.ResolverService_ServiceDesc, kurtv1.StatsService_ServiceDesc,
		kurtv1.ApiKeyService_ServiceDesc, kurtv1.DomainService_ServiceDesc,
	} {
		for _, method := range service.Methods {
			if _, ok := client.MethodByName(method.MethodName); !ok {
				t.Errorf("%s/%s has no method on *kurt.Client", service.ServiceName, method.MethodName)
			}
		}
	}
}
