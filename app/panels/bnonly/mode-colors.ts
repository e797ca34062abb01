/** Colours per training mode: distinct in both themes and for common colour-vision deficiencies. */
export const MODE_COLORS: Record<string, string> = {
  full: '#3b6fd8',
  bn: '#d1495b',
  'bn+output': '#d99a1e',
  output: '#1a9a8a',
  random2: '#8a5cc2',
};
