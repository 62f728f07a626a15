-- The 其他渠道 cases of one kind (办不成事, 投诉, 监督报告) newest first, walked in order and stopped at the page:
-- a partial index (without the 差评 cases, which the rating path writes), so a list of a kind that is new or
-- rare does not walk every case newest first looking for it. Built from the few cases of those kinds.
CREATE INDEX "cases_kind_created_idx" ON "cases" USING btree ("kind","created_at") WHERE kind <> 'bad_rating';
