/**
 * Whether a redirect was fetched ahead of a person (DESIGN.md §2): a browser
 * prefetch or prerender (`Sec-Purpose: prefetch`, its older `Purpose:
 * prefetch`, Firefox's `X-Moz: prefetch`, Safari's `X-Purpose: preview`) or
 * an agent that fetches a link to show its preview when someone pastes it
 * (chat apps and social networks). Such a fetch is counted apart and never
 * as a visit: users of every shortener complain that scanners eat their
 * visit counts.
 */

/** Link-preview agents, by the product token they put in User-Agent. */
const PREVIEW_AGENTS =
  /Slackbot-LinkExpanding|Slack-ImgProxy|facebookexternalhit|Facebot|Twitterbot|LinkedInBot|WhatsApp|TelegramBot|Discordbot|SkypeUriPreview|Iframely|redditbot|Embedly|Mastodon|Pinterestbot|vkShare|Viber|Snapchat|bitlybot|Google-PageRenderer|MicrosoftPreview|Applebot/i;

const hasToken = (value: string | undefined, token: string): boolean =>
  value
    ?.toLowerCase()
    .split(/[;,]/)
    .some((part) => part.trim() === token) === true;

export function isPrefetch(header: (name: string) => string | undefined): boolean {
  if (hasToken(header("sec-purpose"), "prefetch")) return true;
  if (hasToken(header("purpose"), "prefetch")) return true;
  if (hasToken(header("x-moz"), "prefetch")) return true;
  if (hasToken(header("x-purpose"), "preview") || hasToken(header("x-purpose"), "prefetch")) return true;
  const agent = header("user-agent");
  return agent !== undefined && PREVIEW_AGENTS.test(agent);
}
