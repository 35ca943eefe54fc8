-- Each host's queued jobs, oldest first. A claim whose oldest due jobs are mostly a host's that
-- already has as many running as it may (a publisher's own site, slow, with its sitemap's
-- backlog queued) finds the other hosts' jobs host by host through this index, at a cost that
-- grows with the number of hosts, not with the backlog.
CREATE INDEX jobs_queued_host ON jobs (host, run_at, id) WHERE state = 'queued';
