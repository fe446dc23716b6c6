/** What other modules may use of graph/: the in-memory graph's answers, and suggestions. */
export { GraphService, type DegreeLabel, type NetworkView } from './graph.service.js';
export { SuggestionService, type SuggestionSources, type SuggestionSettings } from './suggestions.service.js';
