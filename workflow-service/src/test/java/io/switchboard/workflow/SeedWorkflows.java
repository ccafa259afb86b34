package io.switchboard.workflow;

/** The seed's three examples, as workflow documents in the seed's own JSON vocabulary. */
public final class SeedWorkflows {
    public static final String PREMIUM_SUPPORT = """
            {"name": "Premium support", "status": "ACTIVE",
             "trigger": {"when_type": "receive_message", "keywords": ["help", "support", "problem"]},
             "actions": [
               {"action_type": "control_ai_response", "action": "custom_prompt",
                "custom_prompt": "You are a premium support assistant for {{user.first_name}}. Be extra helpful."},
               {"action_type": "update_ai_context", "context_data": {"customer_tier": "premium",
                "last_purchase": "{{user.last_purchase}}", "support_priority": "high", "preferred_language": "English",
                "account_issues": ["billing", "technical"]}},
               {"action_type": "send_message", "message": "Hello {{user.first_name}}! I've upgraded your support to premium tier.",
                "message_type": "marketing"}
             ]}""";

    public static final String SPANISH_SUPPORT = """
            {"name": "Spanish support", "status": "ACTIVE",
             "trigger": {"when_type": "receive_message", "keywords": ["hola", "ayuda", "problema"]},
             "actions": [
               {"action_type": "control_ai_response", "ai_control_action": "custom_prompt",
                "ai_custom_prompt": "Eres un asistente de soporte en español. Responde en español de manera profesional."},
               {"action_type": "update_ai_context", "ai_context_data": {"preferred_language": "spanish",
                "detected_keywords": "{{event.data.content}}"}}
             ]}""";

    public static final String HUMAN_HANDOFF = """
            {"name": "Human handoff", "status": "ACTIVE",
             "trigger": {"when_type": "receive_message", "keywords": ["human", "agent", "representative"]},
             "actions": [
               {"action_type": "control_ai_response", "action": "disable"},
               {"action_type": "send_message", "message": "I'm connecting you with a human agent. Please wait a moment.", "message_type": "support"},
               {"action_type": "set_conversation_status", "configuration": {"status": "support_active"}}
             ]}""";

    private SeedWorkflows() {
    }
}
