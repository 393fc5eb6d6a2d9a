-- clear_dataset_info: forget what the database held, before record_dataset_info says it anew
-- params:
-- writes: dataset_info
delete from dataset_info
