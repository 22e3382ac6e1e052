import { createTicketApp } from '../api/ticket-app';
import { runMain } from './lib/run';
import { serve } from './lib/serve';

runMain('ticket-api', (config) => serve('ticket-api', config, config.TICKET_API_PORT, createTicketApp));
