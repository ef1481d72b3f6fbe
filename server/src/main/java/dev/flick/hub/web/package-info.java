/** Serving the built web client (web/dist, packaged under static/): cache rules for the app shell. */
package dev.flick.hub.web;
