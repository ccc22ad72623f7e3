// Package kurt is a typed gRPC client for Kurt, over the code buf generates
// from proto/ (kurt.local/sdk/go/gen/kurt/v1; never edit it, run
// `npm run generate`).
//
//	client, err := kurt.New("127.0.0.1:24081", apiKey)
//	link, err := client.CreateLink(ctx, &kurtv1.CreateLinkRequest{Url: "https://example.com"})
//
// Every call carries the key as `authorization: Bearer …` and a deadline
// (5 s unless ctx has one, retries included). Reads (GetLink, ListLinks,
// GetLinkQrCode, Resolve, GetLinkStats, ListApiKeys, ListDomains) are retried
// with backoff on UNAVAILABLE; writes never are. Every failure is an *Error.
//
// Links live under domains (DomainService); a call that names a link by its
// code takes InDomain(name) for a domain other than the default one.
package kurt

import (
	"context"
	"math/rand/v2"
	"time"

	kurtv1 "kurt.local/sdk/go/gen/kurt/v1"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// DefaultTimeout is the deadline of a call whose context has none.
const DefaultTimeout = 5 * time.Second

// Calls safe to repeat: they change nothing.
var safeToRepeat = map[string]bool{
	kurtv1.LinkService_GetLink_FullMethodName:       true,
	kurtv1.LinkService_ListLinks_FullMethodName:     true,
	kurtv1.LinkService_GetLinkQrCode_FullMethodName: true,
	kurtv1.ResolverService_Resolve_FullMethodName:   true,
	kurtv1.StatsService_GetLinkStats_FullMethodName: true,
	kurtv1.ApiKeyService_ListApiKeys_FullMethodName: true,
	kurtv1.DomainService_ListDomains_FullMethodName: true,
}

type options struct {
	timeout        time.Duration
	maxAttempts    int
	initialBackoff time.Duration
	maxBackoff     time.Duration
	creds          credentials.TransportCredentials
}

// Option changes a Client's defaults.
type Option func(*options)

// WithTimeout sets the deadline of calls whose context has none.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithRetries sets the attempts (the first included) of calls safe to repeat, and the backoff.
func WithRetries(maxAttempts int, initialBackoff, maxBackoff time.Duration) Option {
	return func(o *options) {
		o.maxAttempts, o.initialBackoff, o.maxBackoff = maxAttempts, initialBackoff, maxBackoff
	}
}

// WithTransportCredentials replaces plaintext (Envoy's internal listener) with, e.g., TLS.
func WithTransportCredentials(creds credentials.TransportCredentials) Option {
	return func(o *options) { o.creds = creds }
}

// LinkOption says which domain a link call means: see InDomain.
type LinkOption func(*linkOptions)

type linkOptions struct {
	domain *string
	query  *string
	tag    *string
}

// InDomain names the domain of the code (a configured domain's name, e.g.
// "go.example.com"); without it a call means the default domain, and
// ListLinks lists every domain's links. A link never moves to another domain.
func InDomain(domain string) LinkOption {
	return func(o *linkOptions) { o.domain = &domain }
}

// Matching keeps, in ListLinks, the links whose code, URL or title contains
// text in any case (1 to 200 characters). Other calls ignore it.
func Matching(text string) LinkOption {
	return func(o *linkOptions) { o.query = &text }
}

// Tagged keeps, in ListLinks, the links carrying tag (exactly). Other calls ignore it.
func Tagged(tag string) LinkOption {
	return func(o *linkOptions) { o.tag = &tag }
}

func linkOptionsOf(opts []LinkOption) linkOptions {
	var o linkOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

func domainOf(opts []LinkOption) *string {
	return linkOptionsOf(opts).domain
}

// Client calls every Kurt service over one connection. Safe for concurrent use.
type Client struct {
	conn     *grpc.ClientConn
	links    kurtv1.LinkServiceClient
	keys     kurtv1.ApiKeyServiceClient
	resolver kurtv1.ResolverServiceClient
	stats    kurtv1.StatsServiceClient
	domains  kurtv1.DomainServiceClient
}

// New connects (lazily) to address (host:port) with apiKey; an empty key sends none.
func New(address, apiKey string, opts ...Option) (*Client, error) {
	o := options{timeout: DefaultTimeout, maxAttempts: 4, initialBackoff: 50 * time.Millisecond, maxBackoff: time.Second,
		creds: insecure.NewCredentials()}
	for _, opt := range opts {
		opt(&o)
	}
	conn, err := grpc.NewClient(address,
		grpc.WithTransportCredentials(o.creds),
		grpc.WithUnaryInterceptor(interceptor(apiKey, o)))
	if err != nil {
		return nil, err
	}
	return &Client{
		conn:     conn,
		links:    kurtv1.NewLinkServiceClient(conn),
		keys:     kurtv1.NewApiKeyServiceClient(conn),
		resolver: kurtv1.NewResolverServiceClient(conn),
		stats:    kurtv1.NewStatsServiceClient(conn),
		domains:  kurtv1.NewDomainServiceClient(conn),
	}, nil
}

// Close closes the connection; pending calls fail.
func (c *Client) Close() error { return c.conn.Close() }

func interceptor(apiKey string, o options) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, callOpts ...grpc.CallOption) error {
		if apiKey != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+apiKey)
		}
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, o.timeout)
			defer cancel()
		}
		attempts := 1
		if safeToRepeat[method] {
			attempts = o.maxAttempts
		}
		for attempt := 1; ; attempt++ {
			var trailer metadata.MD
			err := invoker(ctx, method, req, reply, cc, append(callOpts, grpc.Trailer(&trailer))...)
			if err == nil || attempt >= attempts || status.Code(err) != codes.Unavailable {
				return toError(err, trailer)
			}
			// Full jitter: clients that failed together do not retry together.
			ceiling := min(o.maxBackoff, o.initialBackoff<<(attempt-1))
			wait := time.Duration(rand.Int64N(int64(ceiling) + 1))
			if deadline, _ := ctx.Deadline(); time.Now().Add(wait).After(deadline) {
				return toError(err, trailer)
			}
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return toError(err, trailer)
			}
		}
	}
}

// CreateLink creates a link (under req.Domain, unset for the default
// domain); a Code already taken in that domain is an *Error with CodeAlreadyExists.
// MaxVisits caps the human visits, Password (4 to 128 characters, never
// returned) makes visitors give it in a form, Rules pick another target by
// device, country, language or query (the first rule that holds wins).
func (c *Client) CreateLink(ctx context.Context, req *kurtv1.CreateLinkRequest) (*kurtv1.Link, error) {
	return c.links.CreateLink(ctx, req)
}

// BatchCreateLinks creates up to 1,000 links in one call, each request as
// CreateLink takes it. The answer holds one result per request, in order:
// GetLink() the stored link, or GetError() what that item met (Code is the
// gRPC status number, e.g. 6 for a code already taken; Message names the
// field). A bad item does not fail the call: an error is returned only for
// the call as a whole (more than 1,000 links, a bad key, the rate limit,
// which counts a batch as one write). Never retried, as no write is.
func (c *Client) BatchCreateLinks(ctx context.Context, links []*kurtv1.CreateLinkRequest) (*kurtv1.BatchCreateLinksResponse, error) {
	return c.links.BatchCreateLinks(ctx, &kurtv1.BatchCreateLinksRequest{Links: links})
}

// GetLink returns a link; a deleted or unknown code is CodeNotFound.
func (c *Client) GetLink(ctx context.Context, code string, opts ...LinkOption) (*kurtv1.Link, error) {
	return c.links.GetLink(ctx, &kurtv1.GetLinkRequest{Code: code, Domain: domainOf(opts)})
}

// ListLinks returns a page of links, newest first: every domain's, or with
// InDomain only that domain's; Matching and Tagged filter them too (filters
// combine, and a page token belongs to the filters it was made with).
func (c *Client) ListLinks(ctx context.Context, pageSize int32, pageToken string, opts ...LinkOption) (*kurtv1.ListLinksResponse, error) {
	o := linkOptionsOf(opts)
	return c.links.ListLinks(ctx, &kurtv1.ListLinksRequest{PageSize: pageSize, PageToken: pageToken, Domain: o.domain, Query: o.query, Tag: o.tag})
}

// UpdateLink changes the fields set in req (nil fields are unchanged);
// req.Domain says which domain's code it is. Tags and Rules replace the
// link's when set (an empty list removes them; see Rules), Password
// proto.String("") removes the password, ClearMaxVisits the cap.
func (c *Client) UpdateLink(ctx context.Context, req *kurtv1.UpdateLinkRequest) (*kurtv1.Link, error) {
	return c.links.UpdateLink(ctx, req)
}

// DeleteLink deletes a link; its code is never reused.
func (c *Client) DeleteLink(ctx context.Context, code string, opts ...LinkOption) error {
	_, err := c.links.DeleteLink(ctx, &kurtv1.DeleteLinkRequest{Code: code, Domain: domainOf(opts)})
	return err
}

// GetLinkQrCode returns a QR code of the link's short URL: format "svg" or
// "png" ("" means svg), size 128 to 1,024 pixels (0 means 256). The answer's
// ContentType is image/svg+xml or image/png, its Data the image.
func (c *Client) GetLinkQrCode(ctx context.Context, code, format string, size int32, opts ...LinkOption) (*httpbody.HttpBody, error) {
	request := &kurtv1.GetLinkQrCodeRequest{Code: code, Domain: domainOf(opts)}
	if format != "" {
		request.Format = &format
	}
	if size != 0 {
		request.Size = &size
	}
	return c.links.GetLinkQrCode(ctx, request)
}

// Resolve returns where a code redirects, counting a click. With InDomain, a
// name that is no configured domain means the default domain, as an unknown
// Host does for a redirect.
func (c *Client) Resolve(ctx context.Context, code string, opts ...LinkOption) (*kurtv1.ResolveResponse, error) {
	return c.resolver.Resolve(ctx, resolveRequest(code, opts))
}

// ResolveWithoutClick is Resolve not counted in the stats (like a HEAD).
func (c *Client) ResolveWithoutClick(ctx context.Context, code string, opts ...LinkOption) (*kurtv1.ResolveResponse, error) {
	ctx = metadata.AppendToOutgoingContext(ctx, "x-kurt-no-click", "1")
	return c.resolver.Resolve(ctx, resolveRequest(code, opts))
}

func resolveRequest(code string, opts []LinkOption) *kurtv1.ResolveRequest {
	return &kurtv1.ResolveRequest{Code: code, Domain: domainOf(opts)}
}

// GetLinkStats returns a link's clicks; From, To, Interval and Domain are optional.
func (c *Client) GetLinkStats(ctx context.Context, req *kurtv1.GetLinkStatsRequest) (*kurtv1.Stats, error) {
	return c.stats.GetLinkStats(ctx, req)
}

// CreateApiKey makes a key with these scopes; the secret is in the answer only.
func (c *Client) CreateApiKey(ctx context.Context, name string, scopes []string) (*kurtv1.CreateApiKeyResponse, error) {
	return c.keys.CreateApiKey(ctx, &kurtv1.CreateApiKeyRequest{Name: name, Scopes: scopes})
}

// ListApiKeys returns a page of keys (never their secrets).
func (c *Client) ListApiKeys(ctx context.Context, pageSize int32, pageToken string) (*kurtv1.ListApiKeysResponse, error) {
	return c.keys.ListApiKeys(ctx, &kurtv1.ListApiKeysRequest{PageSize: pageSize, PageToken: pageToken})
}

// RevokeApiKey revokes a key by id.
func (c *Client) RevokeApiKey(ctx context.Context, id string) (*kurtv1.ApiKey, error) {
	return c.keys.RevokeApiKey(ctx, &kurtv1.RevokeApiKeyRequest{Id: id})
}

// CreateDomain adds a domain links can live under (admin scope); a name
// configured already, the default one included, is CodeAlreadyExists.
func (c *Client) CreateDomain(ctx context.Context, req *kurtv1.CreateDomainRequest) (*kurtv1.Domain, error) {
	return c.domains.CreateDomain(ctx, req)
}

// ListDomains returns the default domain first, then the others by name.
func (c *Client) ListDomains(ctx context.Context) (*kurtv1.ListDomainsResponse, error) {
	return c.domains.ListDomains(ctx, &kurtv1.ListDomainsRequest{})
}

// UpdateDomain changes the redirects set in req; proto.String("") removes one.
func (c *Client) UpdateDomain(ctx context.Context, req *kurtv1.UpdateDomainRequest) (*kurtv1.Domain, error) {
	return c.domains.UpdateDomain(ctx, req)
}

// DeleteDomain removes a domain and returns it. While links live under it the
// answer is CodeConflict; the default domain cannot be deleted.
func (c *Client) DeleteDomain(ctx context.Context, domain string) (*kurtv1.Domain, error) {
	return c.domains.DeleteDomain(ctx, &kurtv1.DeleteDomainRequest{Domain: domain})
}
