// Package web serves a forensics timeline as a local, read-only web page: summary counts,
// filters by kind and text, a blocked-only toggle and a transcript view per session.
//
// The evidence is hostile, so the page refuses to be a channel for it: every value goes through
// html/template's contextual escaping after control characters are made visible, assets are
// embedded (the page fetches nothing from the network), a strict Content-Security-Policy allows
// only the embedded script and stylesheet, requests whose Host is not the served address are
// refused (DNS rebinding), and only GET and HEAD are answered. The server binds to loopback unless
// told another address explicitly.
package web
