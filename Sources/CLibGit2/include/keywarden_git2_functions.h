// Written by scripts/libgit2-forwarders.py from libgit2's headers: the functions keywarden calls,
// as X(return type, name, parameters, arguments). Do not edit; run the script.
#pragma once

#define KW_GIT2_FUNCTIONS(X) \
    X(void, git_blob_free, (git_blob *blob), (blob)) \
    X(int, git_blob_lookup, (git_blob **blob, git_repository *repo, const git_oid *id), (blob, repo, id)) \
    X(const void *, git_blob_rawcontent, (const git_blob *blob), (blob)) \
    X(git_object_size_t, git_blob_rawsize, (const git_blob *blob), (blob)) \
    X(void, git_buf_dispose, (git_buf *buffer), (buffer)) \
    X(const git_signature *, git_commit_author, (const git_commit *commit), (commit)) \
    X(void, git_commit_free, (git_commit *commit), (commit)) \
    X(const git_oid *, git_commit_id, (const git_commit *commit), (commit)) \
    X(int, git_commit_lookup, (git_commit **commit, git_repository *repo, const git_oid *id), (commit, repo, id)) \
    X(const git_oid *, git_commit_parent_id, (const git_commit *commit, unsigned int n), (commit, n)) \
    X(unsigned int, git_commit_parentcount, (const git_commit *commit), (commit)) \
    X(const char *, git_commit_summary, (git_commit *commit), (commit)) \
    X(int, git_commit_tree, (git_tree **tree_out, const git_commit *commit), (tree_out, commit)) \
    X(void, git_config_entry_free, (git_config_entry *entry), (entry)) \
    X(void, git_config_free, (git_config *cfg), (cfg)) \
    X(int, git_config_get_entry, (git_config_entry **out, const git_config *cfg, const char *name), (out, cfg, name)) \
    X(int, git_config_get_path, (git_buf *out, const git_config *cfg, const char *name), (out, cfg, name)) \
    X(int, git_config_get_string_buf, (git_buf *out, const git_config *cfg, const char *name), (out, cfg, name)) \
    X(int, git_diff_find_options_init, (git_diff_find_options *opts, unsigned int version), (opts, version)) \
    X(int, git_diff_find_similar, (git_diff *diff, const git_diff_find_options *options), (diff, options)) \
    X(void, git_diff_free, (git_diff *diff), (diff)) \
    X(const git_diff_delta *, git_diff_get_delta, (const git_diff *diff, size_t idx), (diff, idx)) \
    X(size_t, git_diff_num_deltas, (const git_diff *diff), (diff)) \
    X(int, git_diff_options_init, (git_diff_options *opts, unsigned int version), (opts, version)) \
    X(int, git_diff_tree_to_index, (git_diff **diff, git_repository *repo, git_tree *old_tree, git_index *index, const git_diff_options *opts), (diff, repo, old_tree, index, opts)) \
    X(int, git_diff_tree_to_tree, (git_diff **diff, git_repository *repo, git_tree *old_tree, git_tree *new_tree, const git_diff_options *opts), (diff, repo, old_tree, new_tree, opts)) \
    X(const git_error *, git_error_last, (void), ()) \
    X(int, git_index_add, (git_index *index, const git_index_entry *source_entry), (index, source_entry)) \
    X(int, git_index_entry_stage, (const git_index_entry *entry), (entry)) \
    X(size_t, git_index_entrycount, (const git_index *index), (index)) \
    X(int, git_index_find, (size_t *at_pos, git_index *index, const char *path), (at_pos, index, path)) \
    X(void, git_index_free, (git_index *index), (index)) \
    X(const git_index_entry *, git_index_get_byindex, (git_index *index, size_t n), (index, n)) \
    X(int, git_index_new, (git_index **out), (out)) \
    X(int, git_index_open, (git_index **out, const char *index_path), (out, index_path)) \
    X(int, git_libgit2_init, (void), ()) \
    X(int, git_merge_base, (git_oid *out, git_repository *repo, const git_oid *one, const git_oid *two), (out, repo, one, two)) \
    X(void, git_object_free, (git_object *object), (object)) \
    X(const git_oid *, git_object_id, (const git_object *obj), (obj)) \
    X(int, git_object_peel, (git_object **peeled, const git_object *object, git_object_t target_type), (peeled, object, target_type)) \
    X(git_object_t, git_object_type, (const git_object *obj), (obj)) \
    X(void, git_odb_free, (git_odb *db), (db)) \
    X(const void *, git_odb_object_data, (git_odb_object *object), (object)) \
    X(void, git_odb_object_free, (git_odb_object *object), (object)) \
    X(size_t, git_odb_object_size, (git_odb_object *object), (object)) \
    X(git_object_t, git_odb_object_type, (git_odb_object *object), (object)) \
    X(int, git_odb_open, (git_odb **out, const char *objects_dir), (out, objects_dir)) \
    X(int, git_odb_read, (git_odb_object **out, git_odb *db, const git_oid *id), (out, db, id)) \
    X(int, git_odb_read_header, (size_t *len_out, git_object_t *type_out, git_odb *db, const git_oid *id), (len_out, type_out, db, id)) \
    X(void, git_patch_free, (git_patch *patch), (patch)) \
    X(int, git_patch_from_blobs, (git_patch **out, const git_blob *old_blob, const char *old_as_path, const git_blob *new_blob, const char *new_as_path, const git_diff_options *opts), (out, old_blob, old_as_path, new_blob, new_as_path, opts)) \
    X(int, git_patch_get_hunk, (const git_diff_hunk **out, size_t *lines_in_hunk, git_patch *patch, size_t hunk_idx), (out, lines_in_hunk, patch, hunk_idx)) \
    X(size_t, git_patch_num_hunks, (const git_patch *patch), (patch)) \
    X(void, git_reference_free, (git_reference *ref), (ref)) \
    X(void, git_reference_iterator_free, (git_reference_iterator *iter), (iter)) \
    X(int, git_reference_iterator_glob_new, (git_reference_iterator **out, git_repository *repo, const char *glob), (out, repo, glob)) \
    X(int, git_reference_iterator_new, (git_reference_iterator **out, git_repository *repo), (out, repo)) \
    X(const char *, git_reference_name, (const git_reference *ref), (ref)) \
    X(int, git_reference_name_to_id, (git_oid *out, git_repository *repo, const char *name), (out, repo, name)) \
    X(int, git_reference_next, (git_reference **out, git_reference_iterator *iter), (out, iter)) \
    X(int, git_reference_peel, (git_object **out, const git_reference *ref, git_object_t type), (out, ref, type)) \
    X(const char *, git_repository_commondir, (const git_repository *repo), (repo)) \
    X(int, git_repository_config_snapshot, (git_config **out, git_repository *repo), (out, repo)) \
    X(void, git_repository_free, (git_repository *repo), (repo)) \
    X(int, git_repository_index, (git_index **out, git_repository *repo), (out, repo)) \
    X(int, git_repository_is_bare, (const git_repository *repo), (repo)) \
    X(int, git_repository_is_shallow, (git_repository *repo), (repo)) \
    X(int, git_repository_odb, (git_odb **out, git_repository *repo), (out, repo)) \
    X(int, git_repository_open_ext, (git_repository **out, const char *path, unsigned int flags, const char *ceiling_dirs), (out, path, flags, ceiling_dirs)) \
    X(const char *, git_repository_path, (const git_repository *repo), (repo)) \
    X(int, git_repository_set_index, (git_repository *repo, git_index *index), (repo, index)) \
    X(int, git_repository_set_workdir, (git_repository *repo, const char *workdir, int update_gitlink), (repo, workdir, update_gitlink)) \
    X(const char *, git_repository_workdir, (const git_repository *repo), (repo)) \
    X(int, git_revparse, (git_revspec *revspec, git_repository *repo, const char *spec), (revspec, repo, spec)) \
    X(int, git_revparse_single, (git_object **out, git_repository *repo, const char *spec), (out, repo, spec)) \
    X(void, git_revwalk_free, (git_revwalk *walk), (walk)) \
    X(int, git_revwalk_hide, (git_revwalk *walk, const git_oid *commit_id), (walk, commit_id)) \
    X(int, git_revwalk_hide_glob, (git_revwalk *walk, const char *glob), (walk, glob)) \
    X(int, git_revwalk_new, (git_revwalk **out, git_repository *repo), (out, repo)) \
    X(int, git_revwalk_next, (git_oid *out, git_revwalk *walk), (out, walk)) \
    X(int, git_revwalk_push, (git_revwalk *walk, const git_oid *id), (walk, id)) \
    X(int, git_revwalk_sorting, (git_revwalk *walk, unsigned int sort_mode), (walk, sort_mode)) \
    X(const git_tree_entry *, git_tree_entry_byindex, (const git_tree *tree, size_t idx), (tree, idx)) \
    X(int, git_tree_entry_bypath, (git_tree_entry **out, const git_tree *root, const char *path), (out, root, path)) \
    X(git_filemode_t, git_tree_entry_filemode, (const git_tree_entry *entry), (entry)) \
    X(void, git_tree_entry_free, (git_tree_entry *entry), (entry)) \
    X(const git_oid *, git_tree_entry_id, (const git_tree_entry *entry), (entry)) \
    X(const char *, git_tree_entry_name, (const git_tree_entry *entry), (entry)) \
    X(size_t, git_tree_entrycount, (const git_tree *tree), (tree)) \
    X(void, git_tree_free, (git_tree *tree), (tree)) \
    X(int, git_tree_lookup, (git_tree **out, git_repository *repo, const git_oid *id), (out, repo, id))
