/**
 * The facts of the API key service, shared by the command side (which appends them) and the query
 * side (which projects and publishes them). A plain library: Axon's annotations, no Spring.
 */
package dev.apikeys.events;
