import type { ApiDeps } from '../deps';
import type { RouteBuilder } from '../http/route';
import { DocumentService } from './document-service';
import { documentRoutes } from './document-routes';
import { engagementRoutes } from './engagement-routes';
import { EngagementService } from './engagement-service';
import { documentHistoryRoutes } from './history-routes';
import { DocumentLifecycle } from './lifecycle-client';
import { PublishingService } from './publishing-service';
import { qaRoutes } from './qa-routes';
import { QaService } from './qa-service';
import { searchRoutes } from './search-routes';
import { SearchIndexing, SearchService } from './search-service';
import { taxonomyRoutes } from './taxonomy-routes';
import { TaxonomyService } from './taxonomy-service';

/** Mounts the Knowledge API: documents, versions, guides, categories, tags, Q&A and search. */
export function knowledgeRoutes(
  routes: RouteBuilder,
  deps: Pick<ApiDeps, 'storage' | 'config' | 'search' | 'temporal' | 'logger'>,
): void {
  // Committed changes readers can see go to the search index through Temporal (see SearchIndexing).
  const indexing = new SearchIndexing(deps.temporal, deps.search, deps.logger);
  const lifecycle = new DocumentLifecycle(deps.temporal, deps.logger);
  const documents = new DocumentService(
    (id) => indexing.documentChanged(id),
    (id) => lifecycle.archived(id),
  );
  documentRoutes(routes, documents, new PublishingService(documents, lifecycle));
  documentHistoryRoutes(routes, documents);
  engagementRoutes(routes, new EngagementService(documents, deps.storage), deps.config.UPLOAD_LIMIT);
  taxonomyRoutes(routes, new TaxonomyService((id) => indexing.documentChanged(id)));
  qaRoutes(routes, new QaService((id) => indexing.questionChanged(id)));
  searchRoutes(routes, new SearchService(deps.search, deps.logger), indexing);
}
