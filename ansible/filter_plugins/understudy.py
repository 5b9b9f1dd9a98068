"""Filters that read a sidecar's GET /v1/status answer (see the README's Local API table)."""

from __future__ import annotations


def _partitions(status):
    return status.get("partitions") or []


def _live_members(status):
    return sorted(m["id"] for m in status.get("members") or [] if m.get("alive"))


def leaders_per_member(status):
    """{member: number of partitions it leads}, over the live members this status names."""
    counts = {member: 0 for member in _live_members(status)}
    for p in _partitions(status):
        if p.get("leader"):
            counts[p["leader"]] = counts.get(p["leader"], 0) + 1
    return counts


def settle_problems(status, group_size, balanced=False):
    """What keeps the group from being settled, as this member sees it; empty when settled.

    Settled: every live member counted, every partition has a leader, this member is its leader or a follower,
    every ISR holds the whole group, and (balanced) no member leads two partitions more than another.
    """
    problems = []
    alive = _live_members(status)
    if len(alive) != group_size:
        problems.append(f"{len(alive)} of {group_size} members alive: {', '.join(alive)}")
    for p in _partitions(status):
        name = f"partition {p.get('partition')}"
        if not p.get("leader"):
            problems.append(f"{name} has no leader")
        if p.get("role") not in ("leader", "follower"):
            problems.append(f"{name}: this member is {p.get('role')}")
        isr = p.get("isr") or []
        if len(isr) != group_size:
            problems.append(f"{name}: ISR {isr} is not the whole group of {group_size}")
        if p.get("failure"):
            problems.append(f"{name} FAILED: {p['failure']}")
    if balanced and not problems:
        counts = leaders_per_member(status)
        if counts and max(counts.values()) - min(counts.values()) > 1:
            problems.append(f"leadership not balanced yet: {counts}")
    return problems


def led_partitions(status):
    """The partitions this member leads."""
    return [p["partition"] for p in _partitions(status) if p.get("role") == "leader"]


def switchover_target(status, partition, me):
    """The ISR member, other than me, that leads fewest partitions (ties: the first by id); None if there is none."""
    counts = leaders_per_member(status)
    for p in _partitions(status):
        if p.get("partition") == partition:
            candidates = sorted((m for m in p.get("isr") or [] if m != me and m in counts),
                                key=lambda m: (counts[m], m))
            return candidates[0] if candidates else None
    return None


def leadership_summary(status):
    """One line: who leads which partition, and the ISR sizes."""
    parts = [f"p{p.get('partition')}: {p.get('leader')} (epoch {p.get('epoch')}, ISR {len(p.get('isr') or [])})"
             for p in _partitions(status)]
    return f"{status.get('member')} sees " + "; ".join(parts)


class FilterModule:
    def filters(self):
        return {
            "understudy_settle_problems": settle_problems,
            "understudy_leaders_per_member": leaders_per_member,
            "understudy_led_partitions": led_partitions,
            "understudy_switchover_target": switchover_target,
            "understudy_leadership_summary": leadership_summary,
        }
