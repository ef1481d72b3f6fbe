/**
 * The hub's edge, before any request reaches Spring MVC: the connection guard (per-address cap, request-header
 * deadline) and forwarded headers honoured only from trusted proxies.
 */
package dev.flick.hub.edge;
