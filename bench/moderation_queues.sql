-- Seed for bench/moderation_queues.py: 20,000 readers and 1,000,000 comments on article 1
-- (2% pending, 2% rejected, 1% spam, the rest approved; 1 in 500 with an open report).
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
                           is_staff, is_active, date_joined)
SELECT '', false, 'bench' || g, '', '', 'bench' || g || '@example.com', false, true,
       now() - interval '400 days'
FROM generate_series(1, 20000) g;
INSERT INTO comments_comment (article_id, author_id, depth, body, body_html, status, created_at,
                              ip_hash, screening, reasons, fingerprint, toxicity, priority,
                              open_reports, report_weight, version, decision_reason)
SELECT 1, (SELECT min(id) FROM accounts_user WHERE username LIKE 'bench%') + (g % 20000), 0,
       'Comment ' || g, '<p>Comment ' || g || '</p>',
       CASE WHEN g % 100 < 2 THEN 'pending' WHEN g % 100 < 4 THEN 'rejected'
            WHEN g % 100 < 5 THEN 'spam' ELSE 'approved' END,
       now() - (g || ' seconds')::interval * 30, '', '[]',
       CASE WHEN g % 7 = 0 THEN ' new_reader ' ELSE '' END, md5(g::text), (g % 100) / 100.0,
       g % 97, CASE WHEN g % 500 = 0 THEN 1 ELSE 0 END, 0, 0, ''
FROM generate_series(1, 1000000) g;
ANALYZE;
