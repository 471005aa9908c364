/**
 * A read-only {@code /proc}: {@code meminfo}, {@code buddyinfo}, {@code slabinfo},
 * {@code /proc/<pid>/{status,cmdline,maps,stat}} and {@code /proc/self}, in Linux's formats where a
 * tool would parse them. Every read looks the process up by pid in the pid table and renders a
 * snapshot: procfs never keeps a process or task alive (B4's third cause). A reaped pid is a typed
 * "no such file". An ArchUnit rule forbids fields of process or task types here.
 */
package dev.deed.procfs;
