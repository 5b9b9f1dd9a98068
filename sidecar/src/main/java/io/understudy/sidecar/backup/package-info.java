/**
 * Backups of a group's committed data: the manifest and files a backup is made of, how one is written from a
 * member's stored snapshot and log, checked, and seeded into a stopped member's data dir (docs/design.md, "Backup
 * and restore").
 */
package io.understudy.sidecar.backup;
