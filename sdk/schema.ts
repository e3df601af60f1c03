// Generated from Parley's /openapi.json by openapi-typescript (`npm run sdk:generate`). Do not edit:
// test/sdk/sdk.test.ts fails when this file differs from what the current routes generate.
export interface paths {
    "/api-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the calling tenant's API tokens (never the tokens themselves) */
        get: operations["listApiTokens"];
        put?: never;
        /** Create an API token of the calling tenant */
        post: operations["createApiToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api-tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token (it stops working at once) */
        delete: operations["revokeApiToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connect-sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A connect page link for one end user
         * @description The end user opens `url`, picks a vendor and enters its credentials (or signs in through OAuth); Parley verifies them, creates the integrated account with `end_user` and redirects to `redirect_url?integrated_account_id=…`. Single use, expires after 30 minutes.
         */
        post: operations["createConnectSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (no token needed) */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrated-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List integrated accounts */
        get: operations["listIntegratedAccounts"];
        put?: never;
        /**
         * Connect a vendor account
         * @description Credentials are encrypted at rest and never returned.
         */
        post: operations["createIntegratedAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrated-accounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an integrated account */
        get: operations["getIntegratedAccount"];
        put?: never;
        post?: never;
        /** Delete an integrated account and its stored credentials */
        delete: operations["deleteIntegratedAccount"];
        options?: never;
        head?: never;
        /** Change an integrated account's credentials or sync settings */
        patch: operations["updateIntegratedAccount"];
        trace?: never;
    };
    "/integrated-accounts/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sync status of an integrated account
         * @description What the store holds for this account, the run in progress (pages and records so far) and the last error in words.
         */
        get: operations["getIntegratedAccountSync"];
        put?: never;
        /**
         * Start a sync run now
         * @description Answers 202 with the status. A run already going is not started twice; a disabled sync is a 409.
         */
        post: operations["startIntegratedAccountSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The integrations catalog
         * @description Each vendor Parley connects to: how accounts authenticate, the credential fields as JSON Schema, and the resources served. Generated from the provider registry.
         */
        get: operations["listIntegrations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/{slug}/oauth-app": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Register the tenant's OAuth app of a vendor
         * @description The client id and secret of the OAuth app the tenant registered with the vendor (Gong). The secret is encrypted at rest and never returned. Register `<PARLEY_PUBLIC_URL>/connect/oauth/callback` as the app's redirect URI.
         */
        put: operations["putIntegrationOAuthApp"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Activity
         * @description Per-user activity counters per day, week, month or the whole range (the buckets, ids and paging of Interactions). Gong: its own 15 counters; other vendors: calls_hosted and calls_attended computed from meetings. A counter the source does not report is absent. Ordered by start_time, then user.id.
         */
        get: operations["listActivity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Interactions
         * @description Per-user interaction metrics per day, week, month or the whole range. Ordered by start_time, then user.id.
         */
        get: operations["listInteractions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/interactions/compute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute Interactions from your own transcripts
         * @description For recorders no connector covers: send normalized calls (METRICS.md format) and get unified Interactions records, exactly as `parley compute` prints them.
         */
        post: operations["computeInteractions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/meetings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Meetings
         * @description Meetings that started in [start_time, end_time): from the vendor in the vendor's order; from the synced store by start_time, then id (with modified_after: by the time the store saw each change).
         */
        get: operations["listMeetings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/meetings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a Meeting */
        get: operations["getMeeting"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/scorecard-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Scorecard templates */
        get: operations["listScorecardTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/scorecards": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Scorecards (answered)
         * @description Answered scorecards of calls in [start_time, end_time), reviewed in [review_start_time, review_end_time). Ids are strings, digit for digit as the vendor sends them.
         */
        get: operations["listScorecards"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/transcripts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Transcripts of a meeting (or every transcript changed after modified_after)
         * @description Entry times are seconds from the start of the meeting.
         */
        get: operations["listTranscripts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Users */
        get: operations["listUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/unified/conversational-intelligence/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a User */
        get: operations["getUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhooks */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Subscribe a receiver to events
         * @description Every event of the chosen types about this tenant's accounts is POSTed to `url`, signed the Standard Webhooks way with the returned `secret` (shown once). Delivery is at-least-once, retried with exponential backoff for at least 24 hours.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a webhook and its pending deliveries */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change a webhook's URL, events or status
         * @description Only the fields given change. `status: "enabled"` re-enables a disabled webhook: its pending deliveries go out again.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent delivery attempts of a webhook, newest first */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Activity: {
            additional_metrics: {
                name: string;
                value: number;
            }[];
            /** @enum {string} */
            aggregation_period: "day" | "week" | "month" | "total";
            created_at?: string;
            /** @description ISO 8601 with the bucket zone offset; exclusive */
            end_time: string;
            id: string;
            metrics: {
                /** @description calls the user took part in without hosting them */
                calls_attended?: number;
                /** @description calls the user hosted */
                calls_hosted?: number;
                /** @description other users' calls the user listened to */
                calls_listened_others?: number;
                /** @description own calls the user listened to */
                calls_listened_own?: number;
                /** @description calls the user marked as reviewed */
                calls_marked_as_feedback_given?: number;
                /** @description the user's calls someone marked as reviewed */
                calls_marked_as_feedback_received?: number;
                /** @description calls the user shared outside the company */
                calls_shared_externally?: number;
                /** @description calls the user shared inside the company */
                calls_shared_internally?: number;
                /** @description calls the user commented on */
                comments_given?: number;
                /** @description the user's calls that received comments */
                comments_received?: number;
                /** @description calls the user gave feedback on */
                feedback_given?: number;
                /** @description the user's calls that received feedback */
                feedback_received?: number;
                /** @description calls the user requested feedback on */
                feedback_requested?: number;
                /** @description scorecards the user filled */
                scorecards_filled?: number;
                /** @description the user's calls someone filled a scorecard on */
                scorecards_received?: number;
            };
            remote_data?: unknown;
            /** @description ISO 8601 with the bucket zone offset; inclusive */
            start_time: string;
            timezone: string;
            updated_at?: string;
            user: {
                emails?: {
                    email: string;
                    is_primary: boolean;
                }[];
                /** @description The user id exactly as the vendor spells it (always a string) */
                id: string;
                name?: string;
            };
        };
        ApiToken: {
            created_at: string;
            id: string;
            label: string;
        };
        AvomaCredentialsInput: {
            /** API key */
            api_key: string;
            /**
             * API base URL
             * Format: uri
             * @description Only when your vendor account lives at another address than the default.
             */
            base_url?: string;
            /**
             * Requests per minute
             * @description Your plan's API budget, if it differs from the vendor's published default (1–6000).
             */
            rate_limit_per_minute?: number;
        };
        ChorusCredentialsInput: {
            /** API token */
            api_token: string;
            /**
             * API base URL
             * Format: uri
             * @description Only when your vendor account lives at another address than the default.
             */
            base_url?: string;
            /**
             * Requests per minute
             * @description Your plan's API budget, if it differs from the vendor's published default (1–6000).
             */
            rate_limit_per_minute?: number;
        };
        ClariCopilotCredentialsInput: {
            /** API key */
            api_key: string;
            /** API password */
            api_password: string;
            /**
             * API base URL
             * Format: uri
             * @description Only when your vendor account lives at another address than the default.
             */
            base_url?: string;
            /**
             * Requests per second
             * @description Your plan's API budget, if it differs from the vendor's published default (1–100).
             */
            rate_limit_per_second?: number;
        };
        ComputeInteractionsBodyInput: {
            /**
             * @default total
             * @enum {string}
             */
            aggregation_period: "day" | "week" | "month" | "total";
            /** @description normalized calls (METRICS.md); calls starting outside the range are ignored */
            calls: components["schemas"]["NormalizedCallInput"][];
            /** @description ISO 8601 date or date-time, exclusive; after start_time */
            end_time: string;
            /** @description ISO 8601 date or date-time, inclusive. A date alone is midnight in `timezone`; a date-time without offset is UTC */
            start_time: string;
            /**
             * @description IANA time zone the buckets are cut in
             * @default UTC
             */
            timezone: string;
            /** @description optional name and emails per user id, copied into the records */
            users?: {
                emails?: {
                    email: string;
                    is_primary: boolean;
                }[];
                /** @description The user id exactly as the vendor spells it (always a string) */
                id: string;
                name?: string;
            }[];
        };
        ConnectSession: {
            expires_at: string;
            /** @description single use; the only secret the browser gets */
            token: string;
            /** @description the connect page to open in the end user's browser */
            url: string;
        };
        CreatedApiToken: {
            created_at: string;
            id: string;
            label: string;
            /** @description the token itself: shown once, stored only as a hash */
            token: string;
        };
        CreatedWebhook: {
            created_at: string;
            /** @description why the webhook was disabled (after failing for the whole retry period, or through the API) */
            disabled_reason: string | null;
            events: ("meeting.created" | "transcript.created" | "interactions.updated" | "sync.completed" | "sync.failed" | "integrated_account.status_changed" | "webhook.disabled")[];
            id: string;
            /** @description the Standard Webhooks signing secret (whsec_…); shown only in this answer */
            secret: string;
            /** @enum {string} */
            status: "enabled" | "disabled";
            updated_at: string;
            url: string;
        };
        Error: {
            error: string;
            is_remote_error?: boolean;
            message: string;
            raw_response?: unknown;
            statusCode: number;
        };
        FathomCredentialsInput: {
            /** API key */
            api_key: string;
            /**
             * API base URL
             * Format: uri
             * @description Only when your vendor account lives at another address than the default.
             */
            base_url?: string;
            /**
             * Requests per minute
             * @description Your plan's API budget, if it differs from the vendor's published default (1–6000).
             */
            rate_limit_per_minute?: number;
        };
        FirefliesCredentialsInput: {
            /** API key */
            api_key: string;
            /**
             * API base URL
             * Format: uri
             * @description Only when your vendor account lives at another address than the default.
             */
            base_url?: string;
            page_size?: number;
            /**
             * Requests per day
             * @description Your plan's API budget, if it differs from the vendor's published default (1–1000000).
             */
            rate_limit_per_day?: number;
            /**
             * Requests per minute
             * @description Your plan's API budget, if it differs from the vendor's published default (1–6000).
             */
            rate_limit_per_minute?: number;
        };
        GongCredentialsInput: {
            /** Access key */
            access_key: string;
            /** Access key secret */
            access_key_secret: string;
            /**
             * API base URL
             * Format: uri
             * @description Only when your vendor account lives at another address than the default.
             */
            base_url?: string;
        };
        GrainCredentialsInput: {
            /** API token */
            api_token: string;
            /**
             * API base URL
             * Format: uri
             * @description Only when your vendor account lives at another address than the default.
             */
            base_url?: string;
            /**
             * Requests per minute
             * @description Your plan's API budget, if it differs from the vendor's published default (1–6000).
             */
            rate_limit_per_minute?: number;
        };
        IntegratedAccount: {
            created_at: string;
            id: string;
            integration: string;
            status: string;
            updated_at: string;
        };
        Integration: {
            /** @description api_key: credentials typed in; oauth2: the connect page sends the end user through the vendor's OAuth */
            auth: ("api_key" | "oauth2")[];
            /** @description where in the vendor's app the credentials are found */
            credentials_help: string;
            /** @description JSON Schema (2020-12) of the `credentials` of POST /integrated-accounts */
            credentials_schema: {
                [key: string]: unknown;
            };
            docs_url: string;
            name: string;
            /** @description the unified resources served, and whether from the vendor's own records (native) or derived by Parley (computed); the first is the default */
            resources: {
                activity?: ("native" | "computed")[];
                interactions?: ("native" | "computed")[];
                meetings?: ("native" | "computed")[];
                scorecard_templates?: ("native" | "computed")[];
                scorecards?: ("native" | "computed")[];
                transcripts?: ("native" | "computed")[];
                users?: ("native" | "computed")[];
            };
            slug: string;
        };
        Interaction: {
            additional_metrics: {
                name: string;
                value: number;
            }[];
            /** @enum {string} */
            aggregation_period: "day" | "week" | "month" | "total";
            created_at?: string;
            /** @description ISO 8601 with the bucket zone offset; exclusive */
            end_time: string;
            id: string;
            metrics: {
                /** @description side switches per minute, capped at 10 (computed); Gong score as reported (native) */
                interactivity?: number;
                /** @description seconds */
                longest_customer_story?: number;
                /** @description seconds */
                longest_monologue?: number;
                /** @description seconds */
                patience?: number;
                /** @description questions per hour */
                question_rate?: number;
            };
            remote_data?: unknown;
            /** @description ISO 8601 with the bucket zone offset; inclusive */
            start_time: string;
            timezone: string;
            updated_at?: string;
            user: {
                emails?: {
                    email: string;
                    is_primary: boolean;
                }[];
                /** @description The user id exactly as the vendor spells it (always a string) */
                id: string;
                name?: string;
            };
        };
        Meeting: {
            attendees: {
                email?: string;
                /** @description the vendor id of this participant in the meeting */
                id?: string;
                is_host?: boolean;
                name?: string;
                /**
                 * @description internal: someone of the company; external: customer, prospect, anyone else
                 * @enum {string}
                 */
                side: "internal" | "external";
                /** @description the id transcript entries use for this participant */
                speaker_id?: string;
                /** @description the unified user id when the participant is a company user */
                user_id?: string;
            }[];
            created_at?: string;
            /** @description seconds */
            duration?: number;
            end_time?: string;
            host_user_id?: string;
            id: string;
            meeting_url?: string;
            remote_data?: unknown;
            start_time: string;
            title?: string;
            updated_at?: string;
        };
        NormalizedCallInput: {
            /** @description seconds, 0 or between 0.000001 and 10000000 seconds in magnitude; default: the largest end_s of the valid utterances */
            duration_s?: number;
            id: string;
            participants: {
                /**
                 * @description internal = someone of the company; anything else (or absent) counts as external
                 * @enum {string}
                 */
                side?: "internal" | "external";
                /** @description The speaker id used by the utterances of this call */
                speaker_id: string;
                /** @description The vendor user id; only internal participants with one get metrics */
                user_id?: string;
            }[];
            /** @description ISO 8601 date-time (YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH[:MM]]); without an offset it is UTC */
            started_at: string;
            utterances: {
                /** @description seconds from the start of the call; 0 or between 0.000001 and 10000000 seconds in magnitude */
                end_s: number;
                /** @description questions the vendor detected in this utterance; replaces the text rule */
                questions?: number;
                speaker_id: string;
                /** @description seconds from the start of the call; 0 or between 0.000001 and 10000000 seconds in magnitude */
                start_s: number;
                text?: string;
            }[];
        };
        OAuthApp: {
            client_id: string;
            /** @constant */
            client_secret_set: true;
            integration: string;
        };
        Scorecard: {
            answers: {
                is_overall?: boolean;
                not_applicable?: boolean;
                question: {
                    id: string;
                    text?: string;
                };
                score?: number;
                selected_options?: string[];
                text?: string;
            }[];
            id: string;
            meeting: {
                id: string;
                start_time?: string;
            };
            /** @description the score of the overall question, when answered */
            overall_score?: number;
            remote_data?: unknown;
            /** @enum {string} */
            review_method?: "manual" | "automatic";
            reviewed_at?: string;
            reviewee?: {
                email?: string;
                id: string;
                name?: string;
            };
            /** @description absent for automatic reviews */
            reviewer?: {
                email?: string;
                id: string;
                name?: string;
            };
            scorecard_template: {
                id: string;
                name?: string;
            };
            /** @description the vendor's visibility, lower case (Gong: public, private, opt_in_users, managers, managers_and_reviewee) */
            visibility?: string;
        };
        ScorecardTemplate: {
            created_at?: string;
            enabled?: boolean;
            id: string;
            name?: string;
            questions: {
                id: string;
                is_overall?: boolean;
                max?: number;
                min?: number;
                options?: {
                    id: string;
                    text?: string;
                }[];
                text?: string;
                type?: string;
            }[];
            remote_data?: unknown;
            /** @enum {string} */
            review_method?: "manual" | "automatic";
            updated_at?: string;
        };
        SyncSettings: {
            /** @default 90 */
            backfill_days: number;
            /** @default true */
            enabled: boolean;
            /** @default 60 */
            interval_minutes: number;
            /** @default 3 */
            lookback_days: number;
        };
        SyncStatus: {
            counts: {
                /** @description vendor-native activity rows (one per user and synced bucket) */
                activity: number;
                /** @description per-call metrics rows (one per call and internal user) */
                call_metrics: number;
                meetings: number;
                /** @description vendor-native interaction rows (one per user and synced bucket) */
                native_interactions: number;
                scorecard_templates: number;
                scorecards: number;
                transcripts: number;
                users: number;
            };
            /** @description why the last run failed, in words */
            last_error: string | null;
            last_finished_at: string | null;
            last_started_at: string | null;
            /** @description when the next scheduled run starts (null while disabled) */
            next_run_at: string | null;
            /** @description while running */
            progress: {
                /** @description vendor pages committed by this run so far */
                pages: number;
                /** @description records committed by this run so far */
                records: number;
                /** @description what the run is reading now: users, meetings, native:day, … */
                stream: string;
            } | null;
            settings: components["schemas"]["SyncSettings"];
            /** @enum {string} */
            status: "idle" | "running" | "failed" | "disabled";
            /** @description the store holds this account's data from this instant… */
            synced_from: string | null;
            /** @description …up to this one (the end of the last completed run's window) */
            synced_through: string | null;
        };
        Transcript: {
            entries: {
                /** @description seconds from the start of the meeting */
                end_time: number;
                /** @description true when the vendor gives start times only and the end was derived */
                end_time_derived?: boolean;
                /** @description questions the vendor detected in this entry, when it reports that */
                questions?: number;
                speaker_id: string;
                speaker_name?: string;
                /**
                 * @description internal: someone of the company; external: customer, prospect, anyone else
                 * @enum {string}
                 */
                speaker_side: "internal" | "external";
                /** @description seconds from the start of the meeting */
                start_time: number;
                text: string;
                user_id?: string;
            }[];
            id: string;
            meeting: {
                id: string;
            };
            remote_data?: unknown;
        };
        User: {
            created_at?: string;
            emails: {
                email: string;
                is_primary: boolean;
            }[];
            id: string;
            name?: string;
            remote_data?: unknown;
            updated_at?: string;
        };
        Webhook: {
            created_at: string;
            /** @description why the webhook was disabled (after failing for the whole retry period, or through the API) */
            disabled_reason: string | null;
            events: ("meeting.created" | "transcript.created" | "interactions.updated" | "sync.completed" | "sync.failed" | "integrated_account.status_changed" | "webhook.disabled")[];
            id: string;
            /** @enum {string} */
            status: "enabled" | "disabled";
            updated_at: string;
            url: string;
        };
        WebhookDelivery: {
            /** @description 1 for the first attempt of this event */
            attempt: number;
            attempted_at: string;
            duration_ms: number;
            /** @description what went wrong, in words; null on a 2xx */
            error: string | null;
            /** @description the event (webhook-id header); the same on every attempt */
            event_id: string;
            event_type: string;
            id: string;
            /** @description when this event is tried again; null when delivered or given up */
            next_attempt_at: string | null;
            /** @description the receiver's status; null when it did not answer */
            status_code: number | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listApiTokens: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["ApiToken"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description what the token is for (default "api") */
                    label?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiToken"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createConnectSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the tenant's customer; recorded on the integrated account */
                    end_user: {
                        /** @description your id of the customer who connects */
                        id: string;
                        /** @description shown on the connect page */
                        name?: string;
                    };
                    /** @description slugs offered on the page; default every integration */
                    integrations?: string[];
                    /**
                     * Format: uri
                     * @description where the browser goes once connected, with `?integrated_account_id=…`
                     */
                    redirect_url?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectSession"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    listIntegratedAccounts: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["IntegratedAccount"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createIntegratedAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    credentials: components["schemas"]["GongCredentialsInput"];
                    /** @enum {string} */
                    integration: "gong";
                    /** @description sync settings; every field has a default */
                    sync?: {
                        /** @default 90 */
                        backfill_days?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 60 */
                        interval_minutes?: number;
                        /** @default 3 */
                        lookback_days?: number;
                    };
                } | {
                    credentials: components["schemas"]["FirefliesCredentialsInput"];
                    /** @enum {string} */
                    integration: "fireflies";
                    /** @description sync settings; every field has a default */
                    sync?: {
                        /** @default 90 */
                        backfill_days?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 60 */
                        interval_minutes?: number;
                        /** @default 3 */
                        lookback_days?: number;
                    };
                } | {
                    credentials: components["schemas"]["ClariCopilotCredentialsInput"];
                    /** @enum {string} */
                    integration: "clari_copilot";
                    /** @description sync settings; every field has a default */
                    sync?: {
                        /** @default 90 */
                        backfill_days?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 60 */
                        interval_minutes?: number;
                        /** @default 3 */
                        lookback_days?: number;
                    };
                } | {
                    credentials: components["schemas"]["ChorusCredentialsInput"];
                    /** @enum {string} */
                    integration: "chorus";
                    /** @description sync settings; every field has a default */
                    sync?: {
                        /** @default 90 */
                        backfill_days?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 60 */
                        interval_minutes?: number;
                        /** @default 3 */
                        lookback_days?: number;
                    };
                } | {
                    credentials: components["schemas"]["AvomaCredentialsInput"];
                    /** @enum {string} */
                    integration: "avoma";
                    /** @description sync settings; every field has a default */
                    sync?: {
                        /** @default 90 */
                        backfill_days?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 60 */
                        interval_minutes?: number;
                        /** @default 3 */
                        lookback_days?: number;
                    };
                } | {
                    credentials: components["schemas"]["FathomCredentialsInput"];
                    /** @enum {string} */
                    integration: "fathom";
                    /** @description sync settings; every field has a default */
                    sync?: {
                        /** @default 90 */
                        backfill_days?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 60 */
                        interval_minutes?: number;
                        /** @default 3 */
                        lookback_days?: number;
                    };
                } | {
                    credentials: components["schemas"]["GrainCredentialsInput"];
                    /** @enum {string} */
                    integration: "grain";
                    /** @description sync settings; every field has a default */
                    sync?: {
                        /** @default 90 */
                        backfill_days?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 60 */
                        interval_minutes?: number;
                        /** @default 3 */
                        lookback_days?: number;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegratedAccount"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getIntegratedAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegratedAccount"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteIntegratedAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateIntegratedAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description replaces the stored credentials, validated like at create */
                    credentials?: {
                        [key: string]: unknown;
                    };
                    /** @description changes only the fields given */
                    sync?: {
                        /** @default 90 */
                        backfill_days?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 60 */
                        interval_minutes?: number;
                        /** @default 3 */
                        lookback_days?: number;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegratedAccount"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getIntegratedAccountSync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncStatus"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startIntegratedAccountSync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncStatus"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listIntegrations: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["Integration"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putIntegrationOAuthApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    client_id: string;
                    client_secret: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthApp"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listActivity: {
        parameters: {
            query: {
                aggregation_period?: "day" | "week" | "month" | "total";
                /** @description ISO 8601 date or date-time; exclusive */
                end_time: string;
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                limit?: number;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
                /** @description ISO 8601 date or date-time; inclusive. A date alone is midnight in the bucket zone; a date-time without offset is UTC. */
                start_time: string;
                /** @description IANA zone for the buckets; default the source system zone (Gong: the company zone, the only one it supports) */
                timezone?: string;
                /** @description only these users (sent to the vendor as a filter where it has one). Bracket notation: users[][id]=A&users[][id]=B (or users[0][id]=A&users[1][id]=B). */
                users?: {
                    id: string;
                }[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["Activity"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listInteractions: {
        parameters: {
            query: {
                aggregation_period?: "day" | "week" | "month" | "total";
                /** @description ISO 8601 date or date-time; exclusive */
                end_time: string;
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                limit?: number;
                /** @description native: the vendor's own numbers; computed: Parley's METRICS.md definition over timed transcripts. Default native where the vendor reports all five standard metrics (Gong), else computed */
                metrics_source?: "native" | "computed";
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
                /** @description ISO 8601 date or date-time; inclusive. A date alone is midnight in the bucket zone; a date-time without offset is UTC. */
                start_time: string;
                /** @description IANA zone for the buckets; default the source system zone (Gong: the company zone, the only one it supports) */
                timezone?: string;
                /** @description only these users (sent to the vendor as a filter where it has one). Bracket notation: users[][id]=A&users[][id]=B (or users[0][id]=A&users[1][id]=B). */
                users?: {
                    id: string;
                }[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["Interaction"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    computeInteractions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ComputeInteractionsBodyInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        result: components["schemas"]["Interaction"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMeetings: {
        parameters: {
            query: {
                /** @description ISO 8601 date (midnight UTC) or date-time; exclusive */
                end_time?: string;
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                limit?: number;
                /** @description only records the synced store saw created or changed after this instant (answered from the store) */
                modified_after?: string;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
                /** @description ISO 8601 date (midnight UTC) or date-time; inclusive */
                start_time?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["Meeting"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMeeting: {
        parameters: {
            query: {
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Meeting"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listScorecardTemplates: {
        parameters: {
            query: {
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                limit?: number;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["ScorecardTemplate"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listScorecards: {
        parameters: {
            query: {
                /** @description calls that started before this instant */
                end_time?: string;
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                limit?: number;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
                /** @description reviews completed before this instant */
                review_end_time?: string;
                /** @description manual, automatic or both (default both) */
                review_method?: "manual" | "automatic" | "both";
                /** @description reviews completed at or after this instant */
                review_start_time?: string;
                /** @description only scorecards of these reviewed users (a vendor filter). Bracket notation: reviewees[][id]=A&reviewees[][id]=B (or reviewees[0][id]=A&reviewees[1][id]=B). */
                reviewees?: {
                    id: string;
                }[];
                /** @description only scorecards filled by these users (applied by Parley: Gong has no such filter). Bracket notation: reviewers[][id]=A&reviewers[][id]=B (or reviewers[0][id]=A&reviewers[1][id]=B). */
                reviewers?: {
                    id: string;
                }[];
                /** @description only answers to these scorecard templates. Bracket notation: scorecard_templates[][id]=A&scorecard_templates[][id]=B (or scorecard_templates[0][id]=A&scorecard_templates[1][id]=B). */
                scorecard_templates?: {
                    id: string;
                }[];
                /** @description calls that started at or after this ISO 8601 date or date-time (a date alone: midnight in the vendor zone) */
                start_time?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["Scorecard"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTranscripts: {
        parameters: {
            query: {
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                limit?: number;
                /** @description the id of the meeting whose transcript to list (required unless modified_after is given) */
                meeting_id?: string;
                /** @description only records the synced store saw created or changed after this instant (answered from the store) */
                modified_after?: string;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["Transcript"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query: {
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                limit?: number;
                /** @description only records the synced store saw created or changed after this instant (answered from the store) */
                modified_after?: string;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["User"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query: {
                /** @description false leaves remote_data out of every record */
                include_remote_data?: "true" | "false";
                integrated_account_id: string;
                /** @description auto (default): from the synced store when the account's sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of. */
                read_from?: "auto" | "store" | "live";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description read_from=store and the store does not cover the request yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["Webhook"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events: ("meeting.created" | "transcript.created" | "interactions.updated" | "sync.completed" | "sync.failed" | "integrated_account.status_changed" | "webhook.disabled")[];
                    url: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhook"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events?: ("meeting.created" | "transcript.created" | "interactions.updated" | "sync.completed" | "sync.failed" | "integrated_account.status_changed" | "webhook.disabled")[];
                    /** @enum {string} */
                    status?: "enabled" | "disabled";
                    url?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the next_cursor of the previous page, unchanged */
                next_cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description pass back unchanged, with the same filters, to get the next page; null on the last page */
                        next_cursor: string | null;
                        result: components["schemas"]["WebhookDelivery"][];
                        result_count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
