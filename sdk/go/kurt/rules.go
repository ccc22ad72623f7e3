package kurt

import (
	kurtv1 "kurt.local/sdk/go/gen/kurt/v1"

	"google.golang.org/protobuf/types/known/structpb"
)

// Rules makes UpdateLinkRequest.Rules from typed rules, in order: it replaces
// every rule of the link, and Rules() with none removes them all.
//
// UpdateLink carries rules as a google.protobuf.ListValue (a repeated field
// has no presence, so an empty list could not be told from "unchanged"):
// each element is the rule's JSON object, {device?, country?, language?,
// query?: {name, value?}, url}, with the conditions that are not set left out.
//
//	client.UpdateLink(ctx, &kurtv1.UpdateLinkRequest{Code: "app", Rules: kurt.Rules(
//		&kurtv1.RedirectRule{Device: proto.String("ios"), Url: "https://apps.apple.com/app/id0"},
//	)})
func Rules(rules ...*kurtv1.RedirectRule) *structpb.ListValue {
	list := &structpb.ListValue{Values: make([]*structpb.Value, 0, len(rules))}
	for _, rule := range rules {
		list.Values = append(list.Values, structpb.NewStructValue(ruleObject(rule)))
	}
	return list
}

func ruleObject(rule *kurtv1.RedirectRule) *structpb.Struct {
	fields := map[string]*structpb.Value{}
	if rule.Device != nil {
		fields["device"] = structpb.NewStringValue(rule.GetDevice())
	}
	if rule.Country != nil {
		fields["country"] = structpb.NewStringValue(rule.GetCountry())
	}
	if rule.Language != nil {
		fields["language"] = structpb.NewStringValue(rule.GetLanguage())
	}
	if query := rule.GetQuery(); query != nil {
		condition := map[string]*structpb.Value{"name": structpb.NewStringValue(query.GetName())}
		if query.Value != nil {
			condition["value"] = structpb.NewStringValue(query.GetValue())
		}
		fields["query"] = structpb.NewStructValue(&structpb.Struct{Fields: condition})
	}
	fields["url"] = structpb.NewStringValue(rule.GetUrl())
	return &structpb.Struct{Fields: fields}
}
