DROP INDEX `ratings_client_idx`;--> statement-breakpoint
DROP INDEX `ratings_net_idx`;