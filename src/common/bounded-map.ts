/**
 * Sets `key` in a map kept to at most `max` entries: when a new key would pass the bound, the oldest
 * entry (first inserted) goes. For in-process memories whose keys come from requests.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (!map.has(key) && map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
