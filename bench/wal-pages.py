#!/usr/bin/env python3
"""WAL pages a group commit of votes writes, with and without an index on votes (room_id, participant_id).

Usage: python3 bench/wal-pages.py [path to a planning-poker.db the server made; its schema is copied]

Plays 100 rooms of 8 participants as the group-commit writer does at saturation: each commit holds one vote of every
room (the votes row upserted, the rooms row's version moved; a round inserted before its first vote, its result stored
after its last). 200 rounds per room are played first, then the WAL is emptied and 100 more rounds are counted.
Deterministic: the same schema gives the same figures on any machine.
"""
import os
import random
import sqlite3
import sys

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "src/PlanningPoker.Server/data/planning-poker.db"
TABLES = "('rooms', 'participants', 'stories', 'rounds', 'votes')"
PARTICIPANT_INDEX = "ix_votes_room_id_participant_id"
ROOMS, SEATS, BEFORE, MEASURED = 100, 8, 200, 100
NOW = "2026-12-02T21:00:00.0000000+00:00"

schema = [row[0] for row in sqlite3.connect(SOURCE).execute(
    f"SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN {TABLES} AND name <> '{PARTICIPANT_INDEX}' ORDER BY type DESC")]


def run(with_index):
    path = f"/tmp/wal-pages-{with_index}.db"
    for f in (path, path + "-wal", path + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA wal_autocheckpoint=0")
    for statement in schema:
        db.execute(statement)
    if with_index:
        db.execute(f"CREATE INDEX {PARTICIPANT_INDEX} ON votes (room_id, participant_id)")
    rng = random.Random(1)
    rooms = ["".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(10)) for _ in range(ROOMS)]
    db.execute("BEGIN")
    for room in rooms:
        db.execute("INSERT INTO rooms VALUES (?, 'Room', 'Fibonacci', '[]', 7, 1, 1, 'Anyone', 'Average', NULL, 1, 0, 0, ?, 9, 1, 1,"
                   " NULL, NULL, NULL, NULL, 1, ?, 'key', 1, NULL)", (room, NOW, NOW))
        for seat in range(1, SEATS + 1):
            db.execute("INSERT INTO participants (room_id, id, name, role, is_present, joined_at) VALUES (?, ?, ?, 'Estimator', 1, ?)",
                       (room, seat, f"Person {seat}", NOW))
    db.execute("COMMIT")

    def commit(k):
        db.execute("BEGIN")
        round_id, seat = k // SEATS + 1, k % SEATS + 1
        for room in rooms:
            if seat == 1:
                db.execute("INSERT INTO rounds (room_id, id, story_id, number, state, started_at) VALUES (?, ?, NULL, 1, 'Voting', ?)",
                           (room, round_id, NOW))
            db.execute("INSERT INTO votes (room_id, round_id, participant_id, position, card_label, card_value, card_kind, cast_at)"
                       " VALUES (?, ?, ?, ?, '8', '8', 'Number', ?) ON CONFLICT (room_id, round_id, participant_id) DO UPDATE SET"
                       " position = excluded.position, card_label = excluded.card_label, card_value = excluded.card_value,"
                       " card_kind = excluded.card_kind, cast_at = excluded.cast_at", (room, round_id, seat, seat - 1, NOW))
            if seat == SEATS:
                db.execute("UPDATE rounds SET state = 'Revealed', revealed_at = ?, result_json = ? WHERE room_id = ? AND id = ?",
                           (NOW, '{"average":"8","spread":0,"consensus":true,"counts":[{"label":"8","count":8}]}', room, round_id))
            db.execute("UPDATE rooms SET version = version + 1, updated_at = ? WHERE id = ?", (NOW, room))
        db.execute("COMMIT")

    for k in range(BEFORE * SEATS):
        commit(k)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for k in range(BEFORE * SEATS, (BEFORE + MEASURED) * SEATS):
        commit(k)
    frames = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
    page = db.execute("PRAGMA page_size").fetchone()[0]
    commits, votes = MEASURED * SEATS, MEASURED * SEATS * ROOMS
    label = "with the participant index" if with_index else "votes by their key alone"
    print(f"{label:28} {frames / commits:6.1f} WAL pages per commit of {ROOMS} votes, {frames * page / votes:6.0f} B of WAL per vote,"
          f" database {os.path.getsize(path) / 1e6:.1f} MB after {BEFORE + MEASURED} rounds a room")


run(True)
run(False)
