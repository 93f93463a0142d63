/**
 * One colour per topic, used wherever the topic appears: its highlights on the
 * page, the card's header, the popup's bars and the settings row. The card's
 * two sides never use these colours (they have their own marks), so a colour
 * always means a topic.
 *
 * `mark` is a mid-tone that reads on light and dark pages alike (highlights
 * cannot know the page's background); `ink` and `inkDark` are for text on
 * our own light and dark surfaces (4.5:1 or better).
 */
export interface TopicColour {
  mark: string;
  ink: string;
  inkDark: string;
}

export const TOPIC_PALETTE: readonly TopicColour[] = [
  { mark: '#3b82f6', ink: '#1d4ed8', inkDark: '#9dbcff' },
  { mark: '#a855f7', ink: '#7e22ce', inkDark: '#d6b0ff' },
  { mark: '#e07b00', ink: '#9a4700', inkDark: '#f5b56b' },
  { mark: '#14b8a6', ink: '#0f766e', inkDark: '#6ee7d8' },
  { mark: '#f43f5e', ink: '#be123c', inkDark: '#ffa3b3' },
  { mark: '#84cc16', ink: '#4d7c0f', inkDark: '#c5ef7a' },
];

/**
 * A topic's colour by its place in the dataset's topic list. Past the
 * palette (an imported dataset with many topics), hues are spread by the
 * golden angle, so no two topics share a colour.
 */
export function topicColour(topicIds: readonly string[], topicId: string): TopicColour {
  return slotColour(Math.max(0, topicIds.indexOf(topicId)));
}

/** The colour of the topic in place `slot` of the topic list. */
export function slotColour(slot: number): TopicColour {
  const fixed = TOPIC_PALETTE[slot];
  if (fixed) return fixed;
  const hue = Math.round((slot * 137.508) % 360);
  return { mark: `hsl(${hue} 70% 50%)`, ink: `hsl(${hue} 75% 30%)`, inkDark: `hsl(${hue} 85% 76%)` };
}
