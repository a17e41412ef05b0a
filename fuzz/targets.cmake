# The libFuzzer targets (fuzz/fuzz_<name>.cpp, seeds in fuzz/corpus/<name>/). Read by fuzz/ and by
# tests/reliability/, which runs each one briefly from the main build's ctest.
set(ACTIVITY_FUZZ_TARGETS
    webhook_list webhook results subscription_count subscription_list replay_job users
    bearer_token token_form error_envelope oauth_header form_encoded callback_url crc event
    oauth2_token oauth2_redirect activity_subscriptions event_facts)
